"""The dashboard at /reports/: an area's indicators for a year (and a month for the monthly ones), as cards, tables
and charts of the same numbers, each table downloadable (`?export=xlsx&table=<name>`).

Every number comes from `sciaid.reports.services.indicator_values` (a county live, a city or the province from the
stored county rows). A city or the province also shows its counties side by side, read from the same stored rows
in one grouped query (`county_figures`), and the trend by month of the monthly indicators (`indicator_months`, one
query): the query count does not grow with the number of counties.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView

from sciaid.assistance.statistics import Period, default_period, parse_period
from sciaid.core.spreadsheets import FORMATS, export_response
from sciaid.core.views import ScopedMixin
from sciaid.projects.choices import ProjectStatus
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area
from sciaid.reports.exports import table_rows
from sciaid.reports.indicators import REGISTRY, Indicator, Unit
from sciaid.reports.models import WHOLE_YEAR, IndicatorValue
from sciaid.reports.personal import EXPERT, expert_months, expert_year, officer_villages_figures, personal_kind
from sciaid.reports.services import (
    MONTHS,
    IndicatorResult,
    check_period,
    indicator_areas,
    indicator_months,
    indicator_values,
    may_read_indicators,
)

YEARS = (2000, 2100)


@dataclass(frozen=True)
class Section:
    """One block of the dashboard: a table of `keys` and a bar chart of `chart_keys` (the same numbers)."""

    name: str
    title: object
    keys: tuple[str, ...]
    chart_keys: tuple[str, ...]
    #: Its indicators exist per month: the section follows the month chosen on the form.
    monthly: bool = False


SECTIONS = (
    Section(
        "funnel",
        _("Demand funnel"),
        ("assistance.demands_received", "assistance.demands_valid", "assistance.demands_resolved"),
        ("assistance.demands_received", "assistance.demands_valid", "assistance.demands_resolved"),
        monthly=True,
    ),
    Section(
        "service",
        _("SLA and satisfaction"),
        (
            "assistance.sla_met_rate",
            "assistance.satisfaction",
            "assistance.valid_rate",
            "assistance.sla_met",
            "assistance.sla_breached",
        ),
        ("assistance.sla_met_rate", "assistance.satisfaction", "assistance.valid_rate"),
        monthly=True,
    ),
    Section(
        "coverage",
        _("Poor villages covered"),
        ("commissioners.poor_villages", "commissioners.poor_villages_covered", "commissioners.coverage_rate"),
        ("commissioners.poor_villages", "commissioners.poor_villages_covered"),
    ),
    Section(
        "training",
        _("Trainings and trainees"),
        (
            "training.trainings",
            "training.trainees",
            "training.distinct_trainees",
            "commissioners.trainings",
            "commissioners.trainees",
        ),
        ("training.trainings", "training.trainees", "training.distinct_trainees"),
    ),
    Section(
        "appraisal",
        _("Appraisal distribution"),
        (
            "commissioners.appraised",
            "commissioners.excellent",
            "commissioners.qualified",
            "commissioners.unqualified",
            "commissioners.excellent_rate",
        ),
        ("commissioners.excellent", "commissioners.qualified", "commissioners.unqualified"),
    ),
    Section(
        "funds",
        _("Fund execution"),
        ("funds.budgeted", "funds.allocated", "funds.spent", "funds.balance", "funds.execution_rate"),
        ("funds.budgeted", "funds.allocated", "funds.spent", "funds.balance"),
    ),
    Section(
        "projects",
        _("Projects by stage"),
        tuple(f"projects.stage_{status}" for status in ProjectStatus.values),
        tuple(f"projects.stage_{status}" for status in ProjectStatus.values),
    ),
    Section(
        "market",
        _("Consumption vs quotas"),
        ("market.quotas", "market.quota_purchases", "market.quota_rate", "market.purchases"),
        ("market.quotas", "market.quota_purchases"),
    ),
)

#: The counties side by side (a city or the province): one column each; the ranking sorts on one of them.
COMPARE_KEYS = (
    "assistance.demands_received",
    "assistance.sla_met_rate",
    "assistance.satisfaction",
    "commissioners.coverage_rate",
    "training.trainees",
    "funds.execution_rate",
    "market.quota_rate",
)
DEFAULT_RANK = "assistance.sla_met_rate"
#: The trend by month (a city or the province): the monthly indicators of the funnel and the service.
TREND_KEYS = (
    "assistance.demands_received",
    "assistance.demands_valid",
    "assistance.demands_resolved",
    "assistance.sla_met_rate",
    "assistance.satisfaction",
)
TREND_CHART_KEYS = TREND_KEYS[:3]
#: The colours of a chart's bars or lines, in order; the page's legend shows the same ones (ECharts' "simple" build
#: has no legend component).
COLOURS = ("#1f7a4d", "#d48a1c", "#3b6ea8", "#a33b3b", "#6b4fa0", "#2a8a8a", "#7a6a1f", "#555555", "#b3588a")


def display(value: Decimal | None, unit: str, grouping: str = ",") -> str:
    """A value as the page and the home section show it: — for none, one decimal for %, two for yuan, thousands
    grouped (`grouping=""` for a spreadsheet: the same digits, no separator)."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{value:.1f}"
    if unit == Unit.YUAN:
        return f"{value:{grouping}.2f}"
    return f"{value:{grouping}.0f}"


def plain(value: Decimal | None, unit: str) -> str:
    """A value as a spreadsheet cell holds it: the page's digits without separators, empty for none."""
    return "" if value is None else display(value, unit, grouping="")


def dashboard_areas(user):
    """The areas a dashboard exists for: the user's indicator areas down to counties."""
    return indicator_areas(user).filter(level__lte=AreaLevel.COUNTY)


def default_area(user) -> Area | None:
    """The user's widest area (the province for operators without a grant)."""
    return dashboard_areas(user).order_by("level", "code").first()


def county_figures(area: Area, year: int, keys: tuple[str, ...]) -> list[tuple[Area, dict[str, Decimal | None]]]:
    """[(county, {key: value})] for the counties under `area` (a city or the province), the whole `year`, from the
    stored county rows: two queries whatever the number of counties. Ratios divide their stored parts, as
    `indicator_values` does; the caller has already checked the area through `indicator_values`."""
    indicators = [REGISTRY[key] for key in keys]
    parts = {part for indicator in indicators for part in indicator.parts}
    counties = list(
        Area.objects.filter(level=AreaLevel.COUNTY, code__range=area.subtree_bounds)
        .order_by("code")
        .only("code", "name", "level")
    )
    stored: dict[int, dict[str, Decimal]] = {}
    rows = IndicatorValue.objects.filter(
        area__code__range=area.subtree_bounds, year=year, month=WHOLE_YEAR, key__in=parts
    ).values_list("area_id", "key", "value")
    for area_id, key, value in rows:
        stored.setdefault(area_id, {})[key] = value
    return [
        (county, {indicator.key: indicator.value_of(stored.get(county.pk, {})) for indicator in indicators})
        for county in counties
    ]


class DashboardForm(forms.Form):
    """The area (the user's, down to counties), the year and, for the monthly indicators, a month."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("Area"))
    year = forms.IntegerField(label=_("Year"), min_value=YEARS[0], max_value=YEARS[1])
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year"))] + [(month, str(month)) for month in MONTHS],
        help_text=_("For the demand funnel, the SLA and satisfaction; the other figures exist per year."),
    )
    rank = forms.ChoiceField(label=_("Rank counties by"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = dashboard_areas(user)
        fit_area_widget(self.fields["area"], example="340422000000")
        self.fields["rank"].choices = [(key, REGISTRY[key].label) for key in COMPARE_KEYS]


class PersonalForm(forms.Form):
    """The year of an expert's or an info officer's own figures."""

    year = forms.IntegerField(label=_("Year"), min_value=YEARS[0], max_value=YEARS[1])


class DashboardView(ScopedMixin, TemplateView):
    """The dashboard of an area (see the module docstring). Roles that read no indicators are refused (403); an area
    outside the jurisdiction is a 404, as if it did not exist."""

    template_name = "reports/dashboard.html"
    #: The jurisdiction test checks every view reporting on an `?area=` (sciaid/tests/test_jurisdiction.py).
    reports_on_area = True

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (may_read_indicators(user) or personal_kind(user) is not None)

    def get(self, request, *args, **kwargs):
        user = request.user
        if not may_read_indicators(user):
            return self.get_personal(request, personal_kind(user))
        area = default_area(user)
        initial = {"area": area.code if area else "", "year": "", "rank": DEFAULT_RANK}
        data = {**initial, **request.GET.dict()}
        if not data["year"]:
            data["year"] = str(default_period(user).year)
        code = data["area"]
        # An area outside the jurisdiction is a 404 (the form would only call it an invalid choice).
        if code and Area.objects.filter(code=code).exists() and not indicator_areas(user).filter(code=code).exists():
            raise Http404
        self.form = DashboardForm(data, user=user)
        self.figures = self.compute() if self.form.is_valid() else None
        fmt = request.GET.get("export")
        if fmt:
            table = self.figures and self.figures["tables"].get(request.GET.get("table", ""))
            if fmt not in FORMATS or not table:
                raise Http404
            return export_response(table_rows(table), fmt, f"dashboard-{table['name']}-{self.figures['slug']}")
        return super().get(request, *args, **kwargs)

    def get_personal(self, request, kind: str):
        """An expert's own work or an info officer's own villages for a year (`sciaid.reports.personal`): the
        same page shell, charts, tables and downloads; no area to choose, the person is the jurisdiction."""
        data = {"year": request.GET.get("year") or str(default_period(request.user).year)}
        self.form = PersonalForm(data)
        self.figures = None
        if self.form.is_valid():
            year = self.form.cleaned_data["year"]
            tables = [expert_table(request.user, year)] if kind == EXPERT else officer_tables(request.user, year)
            self.figures = {
                "personal": kind,
                "year": year,
                "sections": tables,
                "tables": {table["name"]: table for table in tables},
                "slug": f"{kind}-{year}",
                "query": urlencode({"year": year}),
            }
        fmt = request.GET.get("export")
        if fmt:
            table = self.figures and self.figures["tables"].get(request.GET.get("table", ""))
            if fmt not in FORMATS or not table:
                raise Http404
            return export_response(table_rows(table), fmt, f"dashboard-{table['name']}-{self.figures['slug']}")
        return super().get(request)

    def compute(self) -> dict | None:
        """Every table of the page ({name: table}), or None with the error on the form."""
        user, cleaned = self.request.user, self.form.cleaned_data
        area, year, month = cleaned["area"], cleaned["year"], cleaned["month"]
        year_period = parse_period(str(year))
        month_period = parse_period(f"{year}-{month:02d}") if month else year_period
        monthly_keys = [key for section in SECTIONS if section.monthly for key in section.keys]
        yearly_keys = [key for section in SECTIONS if not section.monthly for key in section.keys]
        try:
            if month:
                results = values_by_key(indicator_values(user, area, month_period, monthly_keys))
                results |= values_by_key(indicator_values(user, area, year_period, yearly_keys))
            else:
                results = values_by_key(indicator_values(user, area, year_period, monthly_keys + yearly_keys))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.form.add_error(field if field in self.form.fields else None, messages)
            return None
        tables = {}
        for section in SECTIONS:
            period = month_period if section.monthly else year_period
            tables[section.name] = section_table(section, period, results)
        refreshed = [result.refreshed_at for result in results.values() if result.refreshed_at]
        figures = {
            "area": area,
            "year": year,
            "month": month,
            "live": area.level == AreaLevel.COUNTY,
            "refreshed_at": min(refreshed) if refreshed else None,
            "sections": [tables[section.name] for section in SECTIONS],
            "slug": f"{area.code}-{month_period.text}",
        }
        if area.level < AreaLevel.COUNTY:
            rank = cleaned.get("rank") or DEFAULT_RANK
            tables["ranking"] = ranking_table(area, year_period, rank)
            tables["trend"] = trend_table(user, area, year)
            figures["ranking"], figures["trend"] = tables["ranking"], tables["trend"]
        figures["tables"] = tables
        query = {"area": area.code, "year": year}
        if month:
            query["month"] = month
        if "ranking" in tables:
            query["rank"] = tables["ranking"]["rank"].key
        figures["query"] = urlencode(query)
        return figures

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, figures=self.figures)
        if self.figures:
            context["charts"] = {name: table["chart"] for name, table in self.figures["tables"].items()}
        return context


def values_by_key(results: list[IndicatorResult]) -> dict[str, IndicatorResult]:
    return {result.indicator.key: result for result in results}


def cell(indicator: Indicator, value: Decimal | None) -> dict:
    return {
        "value": value,
        "text": display(value, indicator.unit),
        "plain": plain(value, indicator.unit),
        "label": indicator.label,
    }


def chart_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def section_table(section: Section, period: Period, results: dict[str, IndicatorResult]) -> dict:
    """A section's rows (indicator, value, unit) and the bar chart of its `chart_keys`."""
    rows = []
    for key in section.keys:
        result = results[key]
        indicator = result.indicator
        rows.append(
            {
                "indicator": indicator,
                "unit": Unit(indicator.unit).label,
                **cell(indicator, result.value),
                "parts": None
                if indicator.additive
                else (display(result.numerator, Unit.COUNT), display(result.denominator, Unit.COUNT)),
            }
        )
    percent = all(REGISTRY[key].unit == Unit.PERCENT for key in section.chart_keys)
    return {
        "name": section.name,
        "title": section.title,
        "period": period.text,
        "columns": [_("Indicator"), _("Value"), pgettext_lazy("indicator", "Unit")],
        "rows": rows,
        "export": [[str(row["indicator"].label), row["plain"], str(row["unit"])] for row in rows],
        "chart": {
            "kind": "bar",
            "percent": percent,
            "colours": COLOURS,
            "names": [str(REGISTRY[key].label) for key in section.chart_keys],
            "series": [
                {
                    "name": str(section.title),
                    "values": [chart_number(results[key].value) for key in section.chart_keys],
                }
            ],
        },
    }


def ranking_table(area: Area, period: Period, rank: str) -> dict:
    """The counties side by side for the whole year, ranked on `rank` (highest first, none last)."""
    check_period([REGISTRY[key] for key in COMPARE_KEYS], period)
    counties = county_figures(area, period.year, COMPARE_KEYS)
    counties.sort(key=lambda item: (item[1][rank] is None, -(item[1][rank] or 0), item[0].code))
    indicators = [REGISTRY[key] for key in COMPARE_KEYS]
    rows = [
        {
            "rank": number,
            "county": county,
            "cells": [cell(indicator, values[indicator.key]) for indicator in indicators],
        }
        for number, (county, values) in enumerate(counties, start=1)
    ]
    ranked = REGISTRY[rank]
    headers = [f"{indicator.label} ({Unit(indicator.unit).label})" for indicator in indicators]
    return {
        "name": "ranking",
        "title": _("Counties side by side"),
        "period": period.text,
        "rank": ranked,
        "indicators": indicators,
        "columns": [_("Rank"), _("County"), *headers],
        "rows": rows,
        "export": [[row["rank"], row["county"].name, *[c["plain"] for c in row["cells"]]] for row in rows],
        "chart": {
            "kind": "hbar",
            "colours": COLOURS,
            "percent": ranked.unit == Unit.PERCENT,
            "names": [row["county"].name for row in rows],
            "series": [
                {
                    "name": str(ranked.label),
                    "values": [chart_number(values[rank]) for _county, values in counties],
                }
            ],
        },
    }


def trend_table(user, area: Area, year: int) -> dict:
    """The monthly indicators month by month (`indicator_months`: one query for a city or the province, whatever its
    number of counties)."""
    indicators = [REGISTRY[key] for key in TREND_KEYS]
    months = [
        (month, values_by_key(results)) for month, results in indicator_months(user, area, year, TREND_KEYS).items()
    ]
    rows = [
        {
            "month": f"{year}-{month:02d}",
            "cells": [cell(indicator, results[indicator.key].value) for indicator in indicators],
        }
        for month, results in months
    ]
    headers = [f"{indicator.label} ({Unit(indicator.unit).label})" for indicator in indicators]
    return {
        "name": "trend",
        "title": _("Trend by month"),
        "legend": list(zip([str(REGISTRY[key].label) for key in TREND_CHART_KEYS], COLOURS, strict=False)),
        "period": str(year),
        "indicators": indicators,
        "columns": [_("Month"), *headers],
        "rows": rows,
        "export": [[row["month"], *[c["plain"] for c in row["cells"]]] for row in rows],
        "chart": {
            "kind": "line",
            "percent": False,
            "colours": COLOURS,
            "names": [row["month"][5:] for row in rows],
            "series": [
                {
                    "name": str(REGISTRY[key].label),
                    "values": [chart_number(results[key].value) for _month, results in months],
                }
                for key in TREND_CHART_KEYS
            ],
        },
    }


# --- the personal dashboards (experts, info officers) -------------------------------------------------------------


def count_text(value) -> str:
    return display(None if value is None else Decimal(value), Unit.COUNT)


def rate_text(value) -> str:
    return display(value, Unit.PERCENT)


def hours_text(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def personal_table(name, title, period, columns, rows, export, chart_keys, chart_names, chart_rows) -> dict:
    """A personal table in the page's shape: `rows` are the texts shown, `export` the spreadsheet cells, the chart
    the series `chart_keys` (labelled `chart_names`) of `chart_rows` by their first column."""
    return {
        "name": name,
        "title": title,
        "period": period,
        "columns": columns,
        "rows": rows,
        "cells": [list(zip(columns, row, strict=True)) for row in rows],
        # Months are a wide table that scrolls in its box, as the trend's; villages stack into cards on a phone.
        "stack": name != "work",
        "export": export,
        "legend": list(zip([str(label) for label in chart_names], COLOURS, strict=False)),
        "chart": {
            "kind": "bar",
            "percent": False,
            "colours": COLOURS,
            "names": [str(row[0]) for row in chart_rows],
            "series": [
                {"name": str(label), "values": [row[1][key] for row in chart_rows]}
                for key, label in zip(chart_keys, chart_names, strict=True)
            ],
        },
    }


def expert_table(user, year: int) -> dict:
    """The expert's work month by month and the year's total (`personal.expert_months`)."""
    months = expert_months(user, year)
    total = expert_year(months)
    columns = [
        _("Month"),
        _("Assigned"),
        _("Accepted"),
        _("Mean response time (h)"),
        _("Resolved"),
        _("Satisfaction (%)"),
        _("SLA met (%)"),
        _("Knowledge published"),
    ]
    keyed = [(f"{year}-{m['month']:02d}", m) for m in months] + [(str(_("Year")), total)]

    def line(label, m, text):
        number = count_text if text else (lambda v: v)
        return [
            label,
            number(m["assigned"]),
            number(m["accepted"]),
            hours_text(m["response_hours"]) if text else ("" if m["response_hours"] is None else m["response_hours"]),
            number(m["resolved"]),
            rate_text(m["satisfaction"]) if text else plain(m["satisfaction"], Unit.PERCENT),
            rate_text(m["sla_met_rate"]) if text else plain(m["sla_met_rate"], Unit.PERCENT),
            number(m["knowledge"]),
        ]

    return personal_table(
        "work",
        _("Your work by month"),
        str(year),
        columns,
        [line(label, m, True) for label, m in keyed],
        [line(label, m, False) for label, m in keyed],
        ("assigned", "accepted", "resolved"),
        (_("Assigned"), _("Accepted"), _("Resolved")),
        [(label[5:], m) for label, m in keyed[:12]],
    )


def officer_tables(user, year: int) -> list[dict]:
    """The info officer's villages: their demands by state, then households helped, trainings and commissioners."""
    villages = officer_villages_figures(user, year)
    demand_keys = ("received", "collected", "open", "delivered", "set_aside", "valid")
    demand_columns = [
        _("Village"),
        _("Demands received"),
        _("Collected by you"),
        _("Open"),
        _("Served"),
        _("Merged or rejected"),
        _("Valid services"),
    ]
    demands = personal_table(
        "villages",
        _("Demands of your villages"),
        str(year),
        demand_columns,
        [[row["village"].name, *[count_text(row[key]) for key in demand_keys]] for row in villages],
        [[row["village"].name, *[row[key] for key in demand_keys]] for row in villages],
        ("received", "delivered"),
        (_("Demands received"), _("Served")),
        [(row["village"].name, row) for row in villages],
    )
    work = personal_table(
        "village_work",
        _("Households helped, trainings and commissioners"),
        str(year),
        [_("Village"), _("Households helped"), _("Trainings held"), _("Commissioners paired")],
        [
            [
                row["village"].name,
                count_text(row["households"]),
                count_text(row["trainings"]),
                "、".join(row["commissioners"]) or "—",
            ]
            for row in villages
        ],
        [
            [
                row["village"].name,
                "" if row["households"] is None else row["households"],
                row["trainings"],
                "、".join(row["commissioners"]),
            ]
            for row in villages
        ],
        ("households", "trainings"),
        (_("Households helped"), _("Trainings held")),
        [(row["village"].name, row) for row in villages],
    )
    return [demands, work]
