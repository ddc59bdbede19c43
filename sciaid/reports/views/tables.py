"""The dashboard's tables: each block's rows (the numbers shown), its spreadsheet cells and its chart's data, built
from `indicator_values` results (`section_table`), the stored county rows side by side (`ranking_table`), the
stored months (`trend_table`) and, for a county, the coverage of its poor villages by township (`townships_table`).
A table is a dict the template, the chart script (`json_script`) and the `.xlsx` export all read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.assistance.statistics import Period
from sciaid.commissioners.statistics.services import coverage
from sciaid.projects.choices import ProjectStatus
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.indicators import REGISTRY, Indicator, Unit
from sciaid.reports.models import WHOLE_YEAR, IndicatorValue
from sciaid.reports.services import IndicatorResult, check_period, indicator_months


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
#: The counties the ranking shows at each end (the rest are a link away, and all are in its download).
RANK_SHOWN = 10
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


def count_text(value) -> str:
    return display(None if value is None else Decimal(value), Unit.COUNT)


def rate_text(value) -> str:
    return display(value, Unit.PERCENT)


def hours_text(value) -> str:
    return "—" if value is None else f"{value:.1f}"


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


def ranking_table(area: Area, period: Period, rank: str, everyone: bool = False) -> dict:
    """The counties side by side for the whole year, ranked on `rank` (highest first, none last). The page shows the
    first and last `RANK_SHOWN` (a province's 180 rows would be most of the page's weight and time) unless
    `everyone`; the download always holds every county."""
    check_period([REGISTRY[key] for key in COMPARE_KEYS], period)
    counties = county_figures(area, period.year, COMPARE_KEYS)
    counties.sort(key=lambda item: (item[1][rank] is None, -(item[1][rank] or 0), item[0].code))
    indicators = [REGISTRY[key] for key in COMPARE_KEYS]
    rows = [
        {
            "rank": number,
            "county": county,
            "value": values[rank],
            "cells": [cell(indicator, values[indicator.key]) for indicator in indicators],
        }
        for number, (county, values) in enumerate(counties, start=1)
    ]
    shown = rows if everyone or len(rows) <= 2 * RANK_SHOWN else rows[:RANK_SHOWN] + rows[-RANK_SHOWN:]
    ranked = REGISTRY[rank]
    headers = [f"{indicator.label} ({Unit(indicator.unit).label})" for indicator in indicators]
    return {
        "name": "ranking",
        "title": _("Counties side by side"),
        "period": period.text,
        "rank": ranked,
        "indicators": indicators,
        "columns": [_("Rank"), _("County"), *headers],
        "rows": shown,
        "count": len(rows),
        "hidden": len(rows) - len(shown),
        "split": RANK_SHOWN,
        "export": [[row["rank"], row["county"].name, *[c["plain"] for c in row["cells"]]] for row in rows],
        "chart": {
            "kind": "hbar",
            "colours": COLOURS,
            "percent": ranked.unit == Unit.PERCENT,
            "names": [row["county"].name for row in shown],
            "series": [{"name": str(ranked.label), "values": [chart_number(row["value"]) for row in shown]}],
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


def grid_table(
    name: str,
    title,
    period: str,
    columns: list,
    rows: list[list],
    export: list[list],
    chart_keys: tuple[str, ...],
    chart_names: tuple,
    chart_rows: list[tuple[str, dict]],
    *,
    kind: str = "bar",
    stacked: bool = False,
    cards: bool = True,
) -> dict:
    """A table of rows by a first column (months, villages, townships) in the page's shape: `rows` are the texts
    shown, `export` the spreadsheet cells, the chart the series `chart_keys` (labelled `chart_names`, stacked if
    `stacked`) of `chart_rows` by their label. With `cards` the table stacks into cards on a phone, else it scrolls
    in its box."""
    return {
        "name": name,
        "title": title,
        "period": period,
        "columns": columns,
        "rows": rows,
        "cells": [list(zip(columns, row, strict=True)) for row in rows],
        "stack": cards,
        "export": export,
        "legend": list(zip([str(label) for label in chart_names], COLOURS, strict=False)),
        "chart": {
            "kind": kind,
            "stacked": stacked,
            "percent": False,
            "colours": COLOURS,
            "names": [str(label) for label, _row in chart_rows],
            "series": [
                {"name": str(label), "values": [row[key] for _label, row in chart_rows]}
                for key, label in zip(chart_keys, chart_names, strict=True)
            ],
        },
    }


def townships_table(county: Area, year: int) -> dict:
    """A county's poor villages covered by commissioners (or service teams), township by township, as stacked bars
    of covered and not covered: `commissioners.statistics.coverage`, the coverage page's own figures (one grouped
    query and the townships' names), so the sum is the county's `commissioners.poor_villages_covered`."""
    groups = coverage(county, year, uncovered_limit=0)["groups"]
    named = [(group["area"].name if group["area"] else group["code"], group) for group in groups]
    return grid_table(
        "townships",
        _("Poor villages covered by commissioners, by township"),
        str(year),
        [_("Township"), _("Poor villages"), _("Covered"), _("Not covered"), _("Coverage (%)")],
        [
            [name, count_text(g["total"]), count_text(g["covered"]), count_text(g["uncovered"]), rate_text(g["rate"])]
            for name, g in named
        ],
        [[name, g["total"], g["covered"], g["uncovered"], plain(g["rate"], Unit.PERCENT)] for name, g in named],
        ("covered", "uncovered"),
        (_("Covered"), _("Not covered")),
        named,
        kind="hbar",
        stacked=True,
    )
