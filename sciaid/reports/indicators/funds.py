"""Funds (资金): budgeted, allocated, spent, balance and execution rate of the year's budgets.

Per year only (a budget belongs to a year; its allocations and expenditures count with it, whenever dated), from
the funds app's own per-area summary (`sciaid.funds.reports.area_summary`, three grouped queries). A budget counts in
the county its area lies in; budgets kept by a city or the province themselves belong to no county and are not in
the counties' figures.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period
from sciaid.funds.models import Budget
from sciaid.funds.reports import area_summary
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import (
    COUNTY_DIGITS,
    ZERO,
    Unit,
    Values,
    county_ids,
    in_counties,
    ratio,
    source,
)

BUDGETED = "funds.budgeted"
ALLOCATED = "funds.allocated"
UNALLOCATED = "funds.unallocated"
SPENT = "funds.spent"
BALANCE = "funds.balance"


@source(
    "funds",
    monthly=False,
    indicators=[
        (BUDGETED, _("Funds budgeted"), Unit.YUAN, _("Budgets of the year, all sources.")),
        (ALLOCATED, _("Funds allocated"), Unit.YUAN, _("Allocated from the year's budgets (net of reversals).")),
        (UNALLOCATED, _("Funds unallocated"), Unit.YUAN, _("Budgeted but not allocated.")),
        (SPENT, _("Funds spent"), Unit.YUAN, _("Spent from the allocations of the year's budgets.")),
        (BALANCE, _("Funds balance"), Unit.YUAN, _("Allocated but not spent.")),
    ],
)
def fund_figures(period: Period, counties: list[Area]) -> Values:
    prefixes = county_ids(counties)
    budgets = Budget.objects.filter(in_counties("area__code", counties), year=period.year)
    result: Values = {}
    for row in area_summary(budgets):
        county_id = prefixes.get(row.code[:COUNTY_DIGITS])
        if county_id is None:
            continue
        figures = result.setdefault(county_id, dict.fromkeys((BUDGETED, ALLOCATED, UNALLOCATED, SPENT, BALANCE), ZERO))
        totals = row.totals
        figures[BUDGETED] += totals.amount
        figures[ALLOCATED] += totals.allocated
        figures[UNALLOCATED] += totals.unallocated
        figures[SPENT] += totals.spent
        figures[BALANCE] += totals.balance
    return result


ratio(
    "funds.execution_rate",
    _("Fund execution rate"),
    SPENT,
    BUDGETED,
    _("Share of the year's budgets spent."),
)
