"""Commissioners and workstations receive ledger money: registered with funds (`sciaid.funds.recipients`), an
allocation of kind "commissioner" picks one of the commissioners paired that year with villages of the budget's
area, one of kind "workstation" a filed workstation there, instead of a name typed in free text (and the funds
services refuse anyone else). The allocation rule and workstation funding post through the same check. Imported by
`CommissionersConfig.ready()`."""

from __future__ import annotations

from django.db.models import QuerySet

from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.commissioners.workstations.models import Workstation
from sciaid.experts.models import Expert, Pairing
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Budget
from sciaid.funds.recipients import register_recipients


def paired_commissioners(budget: Budget) -> QuerySet[Expert]:
    """Commissioners paired in the budget's year with villages of its area, by name."""
    paired = Pairing.objects.filter(year=budget.year, village__code__range=budget.area.subtree_bounds)
    return Expert.objects.filter(is_commissioner=True, pk__in=paired.values("expert")).order_by("name", "pk")


def filed_workstations(budget: Budget) -> QuerySet[Workstation]:
    """Filed workstations hosted in villages of the budget's area, by name."""
    return Workstation.objects.filter(
        status=WorkstationStatus.FILED, village__code__range=budget.area.subtree_bounds
    ).order_by("name", "pk")


register_recipients(
    RecipientKind.COMMISSIONER, paired_commissioners, lambda expert: f"{expert.name} · {expert.organisation}"
)
register_recipients(
    RecipientKind.WORKSTATION, filed_workstations, lambda station: f"{station.name} · {station.organisation}"
)
