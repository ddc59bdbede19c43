"""Reports on one area and one year (`?area=<code>&year=<yyyy>`): how the address is read and how such a page is
served, shared by every app that reports its figures per area and year (commissioners, training, …)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from sciaid.core.spreadsheets import FORMATS, export_response
from sciaid.core.views import RoleRequiredMixin, ScopedMixin
from sciaid.regions.models import Area, code_validator

YEARS = (2000, 2100)


def resolve_area_year(
    area_code: str | None,
    year_text: str | None,
    *,
    areas: models.QuerySet,
    default_area: Callable[[], Area | None],
    latest_year: Callable[[Area], int],
) -> tuple[Area, int]:
    """The area (among `areas`, the user's) and year asked for, else the defaults: the user's widest area and its
    latest year with data. A malformed code or year is a ValidationError; an area that does not exist or is not the
    user's is an Http404, the same answer, so the report says nothing about other counties."""
    if area_code:
        try:
            code_validator(area_code)
        except ValidationError as exc:
            raise ValidationError({"area": exc.messages}) from None
        area = areas.filter(code=area_code).first()
    else:
        area = default_area()
    if area is None:
        raise Http404
    if not year_text:
        return area, latest_year(area)
    if not (year_text.isdigit() and YEARS[0] <= int(year_text) <= YEARS[1]):
        raise ValidationError({"year": [_("Write a year such as 2020.")]})
    return area, int(year_text)


class AreaYearReportView(RoleRequiredMixin, ScopedMixin, TemplateView):
    """A page of figures for `?area=&year=` with a form to change them; `?export=xlsx|csv` downloads its table.

    Subclasses give `form_class` (taking `user=`), `resolve(user, area_code, year_text)`, `report()` (the
    template's figures) and, where the page has a table to download, `export_rows()` and `export_name`.
    """

    #: The jurisdiction tests check every view reporting on an `?area=` (sciaid/tests/test_jurisdiction.py).
    reports_on_area = True
    form_class: type | None = None
    export_name = "report"

    def resolve(self, user, area_code: str | None, year_text: str | None) -> tuple[Area, int]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            self.area, self.year = self.resolve(request.user, request.GET.get("area"), request.GET.get("year"))
            self.errors = {}
        except ValidationError as exc:
            self.area, self.year, self.errors = None, None, exc.message_dict
        fmt = request.GET.get("export")
        if fmt:
            if fmt not in FORMATS or self.area is None:
                raise Http404
            return export_response(self.export_rows(), fmt, f"{self.export_name}-{self.area.code}-{self.year}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"area": self.area.code if self.area else "", "year": self.year or ""}
        # What the address leaves out is the default the figures were computed for, so the form shows no error.
        form = self.form_class({**initial, **self.request.GET.dict()}, user=self.request.user)
        for field, messages in self.errors.items():
            form.add_error(field if field in form.fields else None, messages)
        context.update(form=form, area=self.area, year=self.year)
        if self.area is not None:
            context["area_year_query"] = f"area={self.area.code}&year={self.year}"
            context.update(self.report())
        return context

    def report(self) -> dict:
        raise NotImplementedError

    def export_rows(self) -> Iterable[list]:
        raise Http404
