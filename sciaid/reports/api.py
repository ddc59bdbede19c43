"""`GET /api/v1/indicators/?area=<code>&period=<2020|2020-Q3|2020-07>&keys=a,b`: indicator values of an area.

The area is required (a county reads live, a city or the province the stored county rows); the period defaults to
this year and the keys to every indicator. A malformed or missing area, a bad period, an unknown key, or a month of
an indicator that exists per year only is a structured 400; a role that reads no indicators a 403; an area outside
the user's jurisdiction a 404, as if it did not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.assistance.statistics import parse_period
from sciaid.core.api import error_responses
from sciaid.core.scoping import SCOPED
from sciaid.regions.models import Area, code_validator
from sciaid.reports.services import indicator_values, may_read_indicators


class IndicatorValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(help_text="count, people, households, villages, yuan or percent.")
    unit_label = serializers.CharField()
    additive = serializers.BooleanField(help_text="A count or amount (sums over areas); otherwise a ratio in %.")
    value = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    numerator = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    denominator = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    live = serializers.BooleanField(help_text="Computed now (a county) rather than read from the stored rows.")
    refreshed_at = serializers.DateTimeField(allow_null=True)


class IndicatorsView(APIView):
    """Indicator values of an area and a period (see the module docstring)."""

    scoping = SCOPED
    #: The jurisdiction test checks every view reporting on an `?area=` (sciaid/tests/test_jurisdiction.py).
    reports_on_area = True

    @extend_schema(
        operation_id="indicators",
        summary="Indicator values of an area and a period",
        parameters=[
            OpenApiParameter(
                "area", OpenApiTypes.STR, required=True, description="Division code of a county, city or province."
            ),
            OpenApiParameter("period", OpenApiTypes.STR, description="2020, 2020-Q3 or 2020-07; default: this year."),
            OpenApiParameter("keys", OpenApiTypes.STR, description="Comma-separated indicator keys; default: all."),
        ],
        responses={
            200: inline_serializer(
                "IndicatorValues",
                {
                    "area": inline_serializer(
                        "IndicatorArea",
                        {
                            "code": serializers.CharField(),
                            "name": serializers.CharField(),
                            "level": serializers.IntegerField(),
                        },
                    ),
                    "period": serializers.CharField(),
                    "results": IndicatorValueSerializer(many=True),
                },
            ),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request):
        user = request.user
        if not may_read_indicators(user):
            raise PermissionDenied
        area = resolve_area(request.query_params.get("area"))
        period = parse_period(request.query_params.get("period") or str(timezone.localdate().year))
        results = indicator_values(user, area, period, request.query_params.get("keys"))
        return Response(
            {
                "area": {"code": area.code, "name": area.name, "level": area.level},
                "period": period.text,
                "results": IndicatorValueSerializer([result.as_dict() for result in results], many=True).data,
            }
        )


def resolve_area(code: str | None) -> Area:
    """The area named by a division code: a 400 when missing or malformed, a 404 when there is none."""
    if not code:
        raise ValidationError({"area": _("Name the area by its division code.")})
    try:
        code_validator(code)
    except ValidationError as exc:
        raise ValidationError({"area": exc.messages}) from None
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise Http404
    return area
