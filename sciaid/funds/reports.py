"""Totals of a set of budgets, computed by the database: the ledger's totals row and the per-area summary.

Each figure is one aggregate query over indexed joins (never a Python loop over entries), so a province's ledger of
~100,000 entries costs the same handful of queries as a county's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Sum

from sciaid.funds.models import ZERO, Allocation, Budget, Expenditure, rounded, sum_of, total_of


@dataclass(frozen=True)
class Totals:
    """budget = allocated + unallocated; allocated = spent + balance."""

    amount: Decimal = ZERO
    allocated: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.spent


def ledger_totals(budgets: QuerySet[Budget]) -> Totals:
    """The totals of the (already scoped and filtered) budgets; three aggregate queries."""
    keys = budgets.order_by().values("pk")
    return Totals(
        amount=sum_of(budgets.order_by()),
        allocated=sum_of(Allocation.objects.filter(budget__in=keys)),
        spent=sum_of(Expenditure.objects.filter(allocation__budget__in=keys)),
    )


@dataclass(frozen=True)
class AreaTotals:
    area_id: int
    code: str
    name: str
    totals: Totals


def area_summary(budgets: QuerySet[Budget]) -> list[AreaTotals]:
    """The totals of the budgets per area (county), in division-code order; three grouped aggregate queries."""
    keys = budgets.order_by().values("pk")
    amounts = budgets.order_by().values("area_id", "area__code", "area__name").annotate(total=rounded(Sum("amount")))
    allocated = dict(
        Allocation.objects.filter(budget__in=keys)
        .order_by()
        .values("budget__area_id")
        .annotate(total=rounded(Sum("amount")))
        .values_list("budget__area_id", "total")
    )
    # Spent per allocation first (an index lookup each), then per area: PostgreSQL would otherwise hash-join every
    # expenditure to its budget before grouping, ~25 % slower at province scale.
    spent_of_allocation = total_of(Expenditure.objects.filter(allocation=OuterRef("pk")).values("allocation"))
    spent = dict(
        Allocation.objects.filter(budget__in=keys)
        .annotate(spent=spent_of_allocation)
        .order_by()
        .values("budget__area_id")
        .annotate(total=rounded(Sum("spent")))
        .values_list("budget__area_id", "total")
    )
    return [
        AreaTotals(
            row["area_id"],
            row["area__code"],
            row["area__name"],
            Totals(row["total"], allocated.get(row["area_id"], ZERO), spent.get(row["area_id"], ZERO)),
        )
        for row in sorted(amounts, key=lambda row: row["area__code"])
    ]


def summed(rows: list[AreaTotals]) -> Totals:
    """The totals of a summary's rows (the ledger's totals row without querying again)."""
    return Totals(
        amount=sum((row.totals.amount for row in rows), ZERO),
        allocated=sum((row.totals.allocated for row in rows), ZERO),
        spent=sum((row.totals.spent for row in rows), ZERO),
    )
