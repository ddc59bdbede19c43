"""The commissioners' fund allocation rule: a county sets it for a year, previews what each commissioner is due,
and posts it to the funds ledger in one step. Money goes through `sciaid.funds.services.allocate` only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.commissioners.allocation.models import AllocationRule
from sciaid.commissioners.common import paired_villages, require_area, require_change, require_county
from sciaid.core.scoping import CHANGE
from sciaid.core.services import service
from sciaid.experts.models import Expert
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation, Budget
from sciaid.funds.services import allocate
from sciaid.regions.models import Area


@dataclass(frozen=True)
class AllocationRow:
    """One commissioner's line in a rule's preview: villages paired, amount due, and whether it is in the ledger."""

    expert: Expert
    villages: int
    amount: Decimal
    key: str
    posted: bool


def allocation_key(rule: AllocationRule, expert_id: int) -> str:
    """The ledger key of one commissioner's allocation under a rule: the same key is never paid twice."""
    return f"commissioner-rule:{rule.county.code}:{rule.year}:{expert_id}"


@service
def save_allocation_rule(
    user, *, county: Area, year: int, base_amount: Decimal, increment: Decimal, instance: AllocationRule | None = None
) -> AllocationRule:
    """Create or change a county's yearly rule; a posted rule is in the ledger and no longer changes."""
    rule = instance or AllocationRule.objects.filter(county=county, year=year).first() or AllocationRule()
    if rule.posted_at is not None:
        raise ValidationError(_("This rule has been posted to the ledger; its amounts can no longer change."))
    require_area(user, require_county(county))
    if rule.pk:
        require_change(user, rule)
    rule.county, rule.year, rule.base_amount, rule.increment = county, year, base_amount, increment
    rule.full_clean(validate_constraints=rule.pk is None)
    rule.save()
    return rule


def allocation_preview(rule: AllocationRule) -> list[AllocationRow]:
    """Every commissioner paired with the county's villages that year, with their amount, by name; three queries."""
    villages = paired_villages(rule.county, rule.year)
    experts = Expert.objects.filter(pk__in=villages).order_by("name", "pk")
    keys = {expert_id: allocation_key(rule, expert_id) for expert_id in villages}
    posted = set(Allocation.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    return [
        AllocationRow(
            expert,
            villages[expert.pk],
            rule.amount_for(villages[expert.pk]),
            keys[expert.pk],
            keys[expert.pk] in posted,
        )
        for expert in experts
    ]


@dataclass(frozen=True)
class PostingResult:
    """What one call of `post_allocation_rule` did: allocations it posted and their amount, and those it found
    already in the ledger (posted earlier, or by a call that held the rule first)."""

    posted: int
    already: int
    amount: Decimal


@service
def post_allocation_rule(user, rule: AllocationRule, *, budget: Budget, allocated_on: date | None = None):
    """Post the rule's preview to the ledger in one step: one allocation per commissioner not yet paid under it.

    All or nothing: refused, with nothing written, when the budget is not the county's for the year or lacks the
    money for every allocation still due. Posting again pays only commissioners added since (none twice).
    """
    require_change(user, rule)
    if not Budget.objects.for_user(user, CHANGE).filter(pk=budget.pk).exists():
        raise ValidationError({"budget": _("Choose a budget of your jurisdiction.")})
    if budget.year != rule.year or not budget.area.covers(rule.county):
        raise ValidationError({"budget": _("Choose a budget of this county for %(year)s.") % {"year": rule.year}})
    # Two posts of the rule at once take turns here, and the second reads what the first posted: each answers for
    # itself (the second: nothing posted, all already in the ledger).
    AllocationRule.objects.select_for_update().filter(pk=rule.pk).values_list("pk").get()
    rows = allocation_preview(rule)
    if not rows:
        raise ValidationError(
            _("No commissioner is paired with a village of this county in %(year)s.") % {"year": rule.year}
        )
    due = [row for row in rows if not row.posted]
    needed = sum((row.amount for row in due), Decimal("0.00"))
    Budget.objects.select_for_update().filter(pk=budget.pk).values_list("pk").get()
    free = Budget.objects.with_totals().get(pk=budget.pk).unallocated
    if needed > free:
        raise ValidationError(
            {
                "budget": _(
                    "The budget has ¥%(free)s unallocated but the allocations due need ¥%(needed)s; nothing was posted."
                )
                % {"free": f"{free:,.2f}", "needed": f"{needed:,.2f}"}
            }
        )
    day = allocated_on or timezone.localdate()
    purpose = _("Commissioner assistance funds %(year)s") % {"year": rule.year}
    for row in due:
        allocate(
            user,
            budget,
            recipient_kind=RecipientKind.COMMISSIONER,
            amount=row.amount,
            purpose=purpose,
            allocated_on=day,
            recipient=row.expert,
            recipient_name=row.expert.name,
            key=row.key,
        )
    AllocationRule.objects.filter(pk=rule.pk).update(budget=budget, posted_at=rule.posted_at or timezone.now())
    rule.refresh_from_db()
    return PostingResult(posted=len(due), already=len(rows) - len(due), amount=needed)
