"""The county's reports on its commissioners, on `?area=<code>&year=<yyyy>`: pairing coverage of poor villages,
alerts, and the yearly statistics; each opens on the user's widest area and its latest year with data, and
`?export=xlsx|csv` downloads the table."""

from __future__ import annotations

from datetime import date

from django import forms as django_forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.report_views import StatisticsForm
from sciaid.assistance.statistics import STATISTICS_ROLES, primary_area, statistics_areas
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.commissioners.statistics import services as statistics
from sciaid.regions import reports
from sciaid.regions.models import Area


class AreaYearForm(StatisticsForm):
    """The area (limited to the user's areas) and the year a report shows."""

    period = None
    year = django_forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


def resolve_area_year(user, area_code: str | None, year_text: str | None) -> tuple[Area, int]:
    """The area and year a commissioners' report is about (see `regions.reports.resolve_area_year`)."""
    return reports.resolve_area_year(
        area_code,
        year_text,
        areas=statistics_areas(user),
        default_area=lambda: primary_area(user),
        latest_year=statistics.latest_year,
    )


class AreaYearView(reports.AreaYearReportView):
    """A report on `?area=<code>&year=<yyyy>`: county staff, supervisors and the platform read it."""

    model = ServiceLog
    required_roles = STATISTICS_ROLES
    form_class = AreaYearForm

    def resolve(self, user, area_code, year_text):
        return resolve_area_year(user, area_code, year_text)


class CoverageView(AreaYearView):
    """Poor villages covered by a commissioner this year, per township, and the ones still without."""

    template_name = "commissioners/coverage.html"
    export_name = "coverage"

    def report(self) -> dict:
        return {"coverage": statistics.coverage(self.area, self.year)}

    def export_rows(self):
        yield [_("Township"), _("Village division code"), _("Village")]
        for village in statistics.coverage(self.area, self.year, uncovered_limit=100000)["uncovered"]:
            yield [village.parent.name if village.parent else "", village.code, village.name]


STATISTICS_COLUMNS = [
    ("commissioners", _("Commissioners")),
    ("poor_villages", _("Poor villages")),
    ("covered", _("Villages covered")),
    ("coverage_rate", _("Coverage (%)")),
    ("services", _("Confirmed services")),
    ("trainings", _("Trainings")),
    ("trainees", _("Trainees")),
    ("varieties", _("New varieties")),
    ("techniques", _("New techniques")),
    ("households", _("Households helped")),
]


class StatisticsView(AreaYearView):
    """The commissioners' year in the figures the county reports print; `?export=xlsx|csv` downloads the table."""

    template_name = "commissioners/statistics.html"
    export_name = "commissioner-statistics"

    def report(self) -> dict:
        stats = statistics.commissioner_statistics(self.area, self.year)
        # Each cell carries its column's label: on a phone the table stacks and every figure is named.
        rows = [(row["area"], [(label, row[key]) for key, label in STATISTICS_COLUMNS]) for row in stats["groups"]]
        return {
            "stats": stats,
            "columns": [label for _key, label in STATISTICS_COLUMNS],
            "rows": rows,
            "totals": [(label, stats["totals"][key]) for key, label in STATISTICS_COLUMNS],
        }

    def export_rows(self):
        report = self.report()
        yield [_("Area"), *report["columns"]]
        for area, cells in report["rows"]:
            yield [area.name if area else "", *(value for _label, value in cells)]
        yield [_("Total"), *(value for _label, value in report["totals"])]
        yield []
        yield [_("Appraisal rating"), _("Commissioners")]
        for row in report["stats"]["appraisal"]:
            yield [row["label"], row["count"]]


class AlertsView(AreaYearView):
    """Commissioners without a confirmed village visit for N days, and agreements behind target at mid-year."""

    template_name = "commissioners/alerts.html"

    def report(self) -> dict:
        today = timezone.localdate()
        as_of = min(today, date(self.year, 12, 31))
        return {
            "as_of": as_of,
            "idle_days": settings.COMMISSIONER_IDLE_DAYS,
            "idle": statistics.idle_commissioners(self.area, self.year, as_of),
            "behind": statistics.behind_target(self.area, self.year, as_of),
        }
