"""The statistics page and its API twin: the same figures (sciaid.assistance.statistics) for an area and a period.

Both take `area` (a division code) and `period` (2020, 2020-03, 2020-Q1). An area outside the user's jurisdiction
is a 404, as if it did not exist; a malformed period or code is a 400 with the field's message (the page shows it
on the form).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.assistance.models import Demand
from sciaid.assistance.statistics import (
    STATISTICS_ROLES,
    Period,
    assistance_statistics,
    default_period,
    json_safe,
    parse_period,
    primary_area,
    ranking_rows,
    statistics_areas,
)
from sciaid.core.api import error_responses
from sciaid.core.scoping import SCOPED, granted_roles, is_unrestricted
from sciaid.core.spreadsheets import FORMATS, export_response
from sciaid.core.views import RoleRequiredMixin, ScopedMixin
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area, code_validator


def may_read_statistics(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & STATISTICS_ROLES)


def resolve_request(user, area_code: str | None, period_text: str | None) -> tuple[Area, Period]:
    """The area and period a request asks for, with the user's defaults for what it leaves out.

    A malformed code or period raises ValidationError; an area that does not exist, or not for this user, Http404.
    """
    if area_code:
        try:
            code_validator(area_code)
        except ValidationError as exc:
            raise ValidationError({"area": exc.messages}) from None
        area = statistics_areas(user).filter(code=area_code).first()
    else:
        area = primary_area(user)
    if area is None:
        raise Http404
    period = parse_period(period_text) if period_text else default_period(user)
    return area, period


class StatisticsForm(forms.Form):
    """The area (limited to the user's areas) and the period the page shows."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("Area"))
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("A year (2020), a month (2020-03) or a quarter (2020-Q1)."),
        widget=forms.TextInput(attrs={"placeholder": "2020-Q1", "size": 8}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = statistics_areas(user)
        fit_area_widget(self.fields["area"])


class StatisticsView(RoleRequiredMixin, ScopedMixin, TemplateView):
    """Tables of every figure, two bar charts of the same numbers, and `?export=xlsx|csv` for the rankings."""

    model = Demand
    template_name = "assistance/statistics.html"
    required_roles = STATISTICS_ROLES
    #: The jurisdiction test checks every view reporting on an `?area=` (sciaid/tests/test_jurisdiction.py).
    reports_on_area = True

    def get(self, request, *args, **kwargs):
        user = request.user
        try:
            self.area, self.period = resolve_request(user, request.GET.get("area"), request.GET.get("period"))
        except ValidationError as exc:
            self.area = self.period = None
            self.errors = exc.message_dict
        else:
            self.errors = {}
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in FORMATS or self.area is None:
                raise Http404
            stats = assistance_statistics(user, self.area, self.period.start, self.period.end)
            return export_response(ranking_rows(stats), fmt, f"rankings-{self.area.code}-{self.period.text}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        initial = {"area": self.area.code if self.area else "", "period": self.period.text if self.period else ""}
        # What the address leaves out is the default the figures were computed for, so the form shows no error.
        form = StatisticsForm({**initial, **self.request.GET.dict()}, user=user)
        for field, messages in self.errors.items():
            form.add_error(field if field in form.fields else None, messages)
        context.update(form=form, area=self.area, period=self.period)
        if self.area is not None:
            stats = assistance_statistics(user, self.area, self.period.start, self.period.end)
            context["stats"] = stats
            context["query_string"] = f"area={self.area.code}&period={self.period.text}"
            context["chart"] = {
                "states": [row["label"] for row in stats["by_state"]],
                "state_counts": [row["count"] for row in stats["by_state"]],
                "townships": [row["name"] for row in stats["by_township"]],
                "township_counts": [row["count"] for row in stats["by_township"]],
                "label": str(_("Demands")),
            }
        return context


class AssistanceReportView(APIView):
    """`GET /api/v1/reports/assistance/?area=<code>&period=<2020|2020-03|2020-Q1>`: the statistics page's figures.

    Decimals (rates in %, money in yuan, mean ratings) are strings; times are hours.
    """

    scoping = SCOPED
    reports_on_area = True

    @extend_schema(
        operation_id="reports_assistance",
        summary="Expert assistance statistics",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Division code; default: your widest area."),
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="2020, 2020-03 or 2020-Q1; default: the latest year with services delivered.",
            ),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The statistics of the area and period."),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request):
        if not may_read_statistics(request.user):
            raise PermissionDenied
        area, period = resolve_request(
            request.user, request.query_params.get("area"), request.query_params.get("period")
        )
        stats = assistance_statistics(request.user, area, period.start, period.end)
        stats["period"]["text"] = period.text
        return Response(json_safe(stats))
