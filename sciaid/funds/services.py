"""Every write to the funds ledger goes through these functions.

Each checks the acting user's jurisdiction, takes a row lock on the budget (allocations) or allocation
(expenditures) so that two clerks posting at the same moment cannot together overspend, validates against balances
computed by the database, and posts a new row. Nothing here edits or deletes a posted entry: corrections are
reversing entries carrying a reason, and the audit log records who posted what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from sciaid.core.backdating import past_day, year_start
from sciaid.core.files import limit_pixels
from sciaid.core.scoping import area_allows, granted_roles, is_unrestricted
from sciaid.core.services import service
from sciaid.funds.choices import ExpenditureCategory, RecipientKind
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource, sum_of
from sciaid.funds.money import yuan
from sciaid.funds.recipients import recipient_source
from sciaid.regions.models import Area

CENT = Decimal("0.01")
#: Largest voucher scan accepted (settings may override).
VOUCHER_MAX_BYTES = getattr(settings, "FUNDS_VOUCHER_MAX_BYTES", 10 * 1024 * 1024)


def _money(amount, field: str = "amount") -> Decimal:
    """A positive amount in yuan with at most two decimal places."""
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        raise ValidationError({field: _("Give the amount in yuan, e.g. 1200.50.")}) from None
    if not value.is_finite() or value != value.quantize(CENT):
        raise ValidationError({field: _("Give the amount in yuan with at most two decimal places.")})
    if value <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if value >= Decimal("1e12"):
        raise ValidationError({field: _("This amount is too large.")})
    return value.quantize(CENT)


def _require_books(user, area: Area) -> None:
    """Only the managers of the area keep its books; `user=None` is the system itself (a scheduled job)."""
    if user is not None and not area_allows(user, area, Budget.scope.change):
        raise PermissionDenied(_("This area's books are outside your jurisdiction."))


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _reversal_day(reversed_on: date | None, budget: Budget, entry_day: date) -> date:
    """The date of a reversing entry (default today): not in the future, not before the budget's year starts, not
    before the entry it reverses. The posting itself keeps when it was typed (`created_at`, the audit log)."""
    return past_day(
        reversed_on,
        field="reversed_on",
        floors=[
            (year_start(budget.year), _("A reversal cannot be dated before the budget's year starts (%(day)s).")),
            (entry_day, _("A reversal cannot be dated before the entry it reverses (%(day)s).")),
        ],
    )


# --- budgets -------------------------------------------------------------------------------------------------


@service
def create_budget(user, *, year: int, area: Area, source: FundSource, amount, purpose: str) -> Budget:
    """Record money an area receives for a year."""
    _require_books(user, area)
    budget = Budget(
        year=year,
        area=area,
        source=source,
        amount=_money(amount),
        purpose=_text(purpose, "purpose", _("Say what the budget is for.")),
    )
    budget.full_clean()
    budget.save()
    return budget


def budget_totals(budget: Budget) -> Budget:
    """The budget re-read with its totals annotated (allocated, unallocated, spent, balance)."""
    return Budget.objects.with_totals().get(pk=budget.pk)


def _locked_budget(budget: Budget) -> Budget:
    """Lock the budget row for this transaction, then read its totals (the lock serialises posters)."""
    Budget.objects.select_for_update().filter(pk=budget.pk).values_list("pk").get()
    return budget_totals(budget)


# --- allocations ---------------------------------------------------------------------------------------------


@service
def allocate(
    user,
    budget: Budget,
    *,
    recipient_kind: str,
    amount,
    purpose: str,
    allocated_on: date,
    recipient: models.Model | None = None,
    recipient_name: str = "",
    key: str = "",
) -> Allocation:
    """Move money from a budget to a recipient.

    Refused (ValidationError) when the amount is not positive or exceeds the budget's unallocated balance. With a
    non-empty `key`, posting the same key again returns the existing allocation instead of paying twice (the
    projects app keys an approval's allocation by the project, so a retried approval never pays twice).
    """
    _require_books(user, budget.area)
    key = (key or "").strip()
    if key:
        existing = Allocation.objects.filter(key=key).first()
        if existing is not None:
            return existing
    if recipient_kind not in RecipientKind.values:
        raise ValidationError({"recipient_kind": _("Choose who receives the money.")})
    _check_recipient(recipient_kind, budget, recipient)
    amount = _money(amount)
    name = (recipient_name or "").strip() or (str(recipient) if recipient is not None else "")
    if not name and recipient_kind == RecipientKind.PLATFORM:
        name = str(RecipientKind.PLATFORM.label)
    name = _text(name, "recipient_name", _("Name the recipient."))
    purpose = _text(purpose, "purpose", _("Say what the money is for."))
    locked = _locked_budget(budget)
    if amount > locked.unallocated:
        raise ValidationError(
            {
                "amount": _("Only %(free)s of this budget is still unallocated; %(amount)s cannot be allocated.")
                % {"free": yuan(locked.unallocated), "amount": yuan(amount)}
            }
        )
    allocation = Allocation(
        budget=budget,
        recipient_kind=recipient_kind,
        recipient_name=name[:200],
        amount=amount,
        purpose=purpose[:200],
        allocated_on=allocated_on,
        key=key,
    )
    if recipient is not None:
        allocation.content_type = ContentType.objects.get_for_model(type(recipient))
        allocation.object_id = recipient.pk
    try:
        with transaction.atomic():
            allocation.save()
    except IntegrityError:
        # The same key posted at the same moment by another request: theirs won.
        if key and (existing := Allocation.objects.filter(key=key).first()) is not None:
            return existing
        raise
    return allocation


def _check_recipient(kind: str, budget: Budget, recipient: models.Model | None) -> None:
    """A kind whose recipients are records (a commissioner, a workstation, a project) names one of the records that
    may receive money from this budget, never free text (`sciaid.funds.recipients`)."""
    source = recipient_source(kind)
    if source is None:
        return
    if recipient is None:
        raise ValidationError({"recipient": _("Choose the recipient from the list.")})
    candidates = source.candidates(budget)
    if not isinstance(recipient, candidates.model) or not candidates.filter(pk=recipient.pk).exists():
        raise ValidationError(
            {"recipient": _("%(name)s cannot receive money from this budget.") % {"name": source.label(recipient)}}
        )


def registered_recipient(kind: str, budget: Budget, object_id: int) -> models.Model:
    """The record with this id among those that may receive money of `kind` from `budget` (the API names a
    commissioner, a workstation or a project by id); a kind without such records is named in words."""
    source = recipient_source(kind)
    if source is None:
        raise ValidationError({"object_id": _("This kind of recipient is named in words, not by an id.")})
    recipient = source.candidates(budget).filter(pk=object_id).first()
    if recipient is None:
        raise ValidationError(
            {"object_id": _("No recipient of this kind with this id may receive money from this budget.")}
        )
    return recipient


def allocation_totals(allocation: Allocation) -> Allocation:
    return Allocation.objects.with_totals().select_related("budget").get(pk=allocation.pk)


def _locked_allocation(allocation: Allocation) -> Allocation:
    Allocation.objects.select_for_update().filter(pk=allocation.pk).values_list("pk").get()
    return allocation_totals(allocation)


@service
def reverse_allocation(user, allocation: Allocation, *, reason: str, amount=None, reversed_on: date | None = None):
    """Take back (part of) an allocation's unspent balance into the budget by a reversing entry.

    Spent money cannot be taken back: reverse the expenditures first. Without `amount`, the whole balance.
    """
    _require_books(user, allocation.budget.area)
    if allocation.is_reversal:
        raise ValidationError(_("A reversing entry cannot itself be reversed; post a new allocation instead."))
    reason = _text(reason, "reason", _("Say why the allocation is reversed."))
    Budget.objects.select_for_update().filter(pk=allocation.budget_id).values_list("pk").get()
    locked = _locked_allocation(allocation)
    amount = locked.balance if amount is None else _money(amount)
    if amount <= 0:
        raise ValidationError(_("Nothing of this allocation is left to reverse."))
    if amount > locked.balance:
        raise ValidationError(
            {
                "amount": _("Only %(left)s of this allocation is unspent; reverse expenditures to take back more.")
                % {"left": yuan(locked.balance)}
            }
        )
    reversal = Allocation(
        budget_id=allocation.budget_id,
        recipient_kind=allocation.recipient_kind,
        content_type_id=allocation.content_type_id,
        object_id=allocation.object_id,
        recipient_name=allocation.recipient_name,
        amount=-amount,
        purpose=allocation.purpose,
        allocated_on=_reversal_day(reversed_on, allocation.budget, allocation.allocated_on),
        reverses=allocation,
        reason=reason[:300],
    )
    reversal.save()
    return reversal


# --- expenditures --------------------------------------------------------------------------------------------


def platform_allocation(user, budget: Budget, spent_on: date) -> Allocation:
    """The allocation of kind PLATFORM that spending "against a platform-operation budget" posts to.

    A budget for the county platform's own operation is spent directly: its first expenditure allocates the whole
    unallocated balance to the platform in one entry, and later ones use that allocation. (Money allocated to
    others before stays theirs; to spend more, allocate more to the platform explicitly.)
    """
    platform = Allocation.objects.filter(budget=budget, recipient_kind=RecipientKind.PLATFORM, reverses=None)
    existing = platform.order_by("id").first()
    if existing is not None:
        return existing
    locked = _locked_budget(budget)
    # Spendings arriving together all miss it above; the first to hold the lock creates it, the others find it here.
    existing = platform.order_by("id").first()
    if existing is not None:
        return existing
    if locked.unallocated <= 0:
        raise ValidationError(_("Nothing of this budget is unallocated to spend on the platform."))
    return allocate(
        user,
        budget,
        recipient_kind=RecipientKind.PLATFORM,
        amount=locked.unallocated,
        purpose=budget.purpose,
        allocated_on=spent_on,
    )


def clean_voucher(upload) -> None:
    """A voucher is a scan or photo: PDF, JPEG or PNG, recognised by content, within the size limit."""
    if upload is None:
        return
    if upload.size > VOUCHER_MAX_BYTES:
        raise ValidationError({"voucher": _("A voucher may be at most %(mb)d MB.") % {"mb": VOUCHER_MAX_BYTES >> 20}})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not (head.startswith(b"%PDF-") or head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n")):
        raise ValidationError({"voucher": _("Send the voucher as a PDF, JPEG or PNG file.")})
    limit_pixels(upload, field="voucher")


@service
def spend(
    user,
    target: Allocation | Budget,
    *,
    category: str,
    amount,
    spent_on: date,
    payee: str,
    description: str = "",
    voucher=None,
) -> Expenditure:
    """Post an expenditure against an allocation, or against a platform-operation budget (see
    `platform_allocation`). Refused when the amount exceeds the allocation's balance."""
    budget = target if isinstance(target, Budget) else target.budget
    _require_books(user, budget.area)
    amount = _money(amount)
    if category not in ExpenditureCategory.values:
        raise ValidationError({"category": _("Choose what the money was spent on.")})
    payee = _text(payee, "payee", _("Say whom the money was paid to."))
    clean_voucher(voucher)
    allocation = platform_allocation(user, target, spent_on) if isinstance(target, Budget) else target
    if allocation.is_reversal:
        raise ValidationError(_("Spend against the allocation itself, not against its reversing entry."))
    locked = _locked_allocation(allocation)
    if amount > locked.balance:
        raise ValidationError(
            {
                "amount": _("Only %(left)s of this allocation is left; %(amount)s cannot be spent.")
                % {"left": yuan(locked.balance), "amount": yuan(amount)}
            }
        )
    expenditure = Expenditure(
        allocation=allocation,
        category=category,
        amount=amount,
        spent_on=spent_on,
        payee=payee[:200],
        description=(description or "").strip()[:200],
    )
    if voucher is not None:
        expenditure.voucher.save(voucher.name, voucher, save=False)
    expenditure.save()
    return expenditure


@service
def attach_voucher(user, expenditure: Expenditure, voucher) -> Expenditure:
    """Attach the scanned voucher to an expenditure posted without one (the only later change a posted entry
    allows; a voucher once attached stays)."""
    _require_books(user, expenditure.allocation.budget.area)
    if expenditure.voucher:
        raise ValidationError({"voucher": _("This expenditure already has its voucher.")})
    if voucher is None:
        raise ValidationError({"voucher": _("Choose the voucher file.")})
    clean_voucher(voucher)
    expenditure.voucher.save(voucher.name, voucher, save=False)
    expenditure.save(update_fields=["voucher", "updated_at", "updated_by"])
    return expenditure


@service
def reverse_expenditure(user, expenditure: Expenditure, *, reason: str, reversed_on: date | None = None):
    """Cancel a posted expenditure by an equal negative one; its money returns to the allocation's balance."""
    _require_books(user, expenditure.allocation.budget.area)
    if expenditure.is_reversal:
        raise ValidationError(_("A reversing entry cannot itself be reversed; post a new expenditure instead."))
    reason = _text(reason, "reason", _("Say why the expenditure is reversed."))
    Allocation.objects.select_for_update().filter(pk=expenditure.allocation_id).values_list("pk").get()
    if Expenditure.objects.filter(reverses=expenditure).exists():
        raise ValidationError(_("This expenditure has already been reversed."))
    reversal = Expenditure(
        allocation_id=expenditure.allocation_id,
        category=expenditure.category,
        amount=-expenditure.amount,
        spent_on=_reversal_day(reversed_on, expenditure.allocation.budget, expenditure.spent_on),
        payee=expenditure.payee,
        description=expenditure.description,
        reverses=expenditure,
        reason=reason[:300],
    )
    reversal.save()
    return reversal


# --- statements ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """What one recipient received and spent: allocated = spent + balance, reversals included."""

    allocated: Decimal
    spent: Decimal
    balance: Decimal
    allocations: models.QuerySet
    expenditures: models.QuerySet


def statement(recipient: models.Model) -> Statement:
    """Money allocated to one recipient object (a project, a commissioner's Expert, a workstation); two aggregate
    queries."""
    allocations = Allocation.objects.filter(
        content_type=ContentType.objects.get_for_model(type(recipient)), object_id=recipient.pk
    )
    expenditures = Expenditure.objects.filter(allocation__in=allocations.values("pk"))
    return statement_of(allocations, expenditures)


def statement_of(allocations: models.QuerySet, expenditures: models.QuerySet) -> Statement:
    allocated = sum_of(allocations)
    spent = sum_of(expenditures)
    return Statement(
        allocated=allocated,
        spent=spent,
        balance=allocated - spent,
        allocations=allocations.order_by("allocated_on", "id"),
        expenditures=expenditures.select_related("allocation").order_by("spent_on", "id"),
    )


# --- the fund-source catalogue -------------------------------------------------------------------------------


def may_edit_sources(user) -> bool:
    return is_unrestricted(user) or bool(granted_roles(user) & FundSource.scope.change)


@service
def save_fund_source(user, *, instance: FundSource | None = None, **fields) -> FundSource:
    """Add or rename a fund source (platform admins); its code never changes once budgets use it."""
    if not may_edit_sources(user):
        raise PermissionDenied(_("Only platform admins edit the fund sources."))
    source = instance or FundSource()
    if instance is not None and fields.get("code", source.code) != source.code and source.budgets.exists():
        raise ValidationError({"code": _("Budgets use this source: its code cannot change.")})
    for name, value in fields.items():
        setattr(source, name, value)
    source.full_clean()
    source.save()
    return source
