"""The funds ledger: budgets (money an area receives in a year), allocations out of them, and expenditures.

Allocations and expenditures are an append-only ledger: once posted they are never edited or deleted; a mistake is
corrected by a reversing entry (a negative row pointing at the one it corrects), so the trail of what was recorded
stays complete. Every balance is computed by the database from the rows (`with_totals`), never stored, so the
figures always reconcile: budget = allocated + unallocated, allocated = spent + balance.
"""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope, ScopedQuerySet
from sciaid.funds.choices import ExpenditureCategory, RecipientKind
from sciaid.funds.money import yuan
from sciaid.regions.models import Area

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
#: Who keeps the books of an area.
MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Who reads them.
READERS = frozenset({Role.SUPERVISOR})


def money_field(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2)


def rounded(expression) -> Round:
    """Money computed in SQL, rounded to the cent: exact on PostgreSQL anyway, and on SQLite (which sums decimals
    as floating point) it keeps 0.01 from coming back as 0.00999999999999091."""
    return Round(expression, 2, output_field=MONEY)


def total_of(queryset: models.QuerySet, field: str = "amount") -> Round:
    """A correlated subquery summing `field` over `queryset` (already filtered on OuterRef); 0 when empty."""
    summed = queryset.order_by().annotate(_total=Sum(field)).values("_total")
    return rounded(Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY))


def sum_of(queryset: models.QuerySet, field: str = "amount") -> Decimal:
    """The sum of `field` over `queryset` in one aggregate query, to the cent; 0 when empty."""
    return queryset.aggregate(total=rounded(Coalesce(Sum(field), Value(ZERO), output_field=MONEY)))["total"]


class PostedEntryError(ValidationError):
    """Raised when code tries to change or delete a posted ledger entry."""


class LedgerQuerySet(ScopedQuerySet):
    """Posted entries are never changed in bulk either."""

    def update(self, **kwargs):
        raise PostedEntryError(_("Posted ledger entries are never changed; post a reversing entry instead."))

    def delete(self):
        raise PostedEntryError(_("Posted ledger entries are never deleted; post a reversing entry instead."))


class FundSource(BaseModel):
    """Where money comes from (province transfer payment, city, county, special fund …): editable catalogue."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope = Scope(code_path=None, view=MANAGERS | READERS, change=frozenset({Role.PLATFORM_ADMIN}), catalogue=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class BudgetQuerySet(ScopedQuerySet):
    def with_totals(self) -> BudgetQuerySet:
        """Annotate allocated, unallocated, spent and balance (allocated − spent), each by one subquery."""
        return self.annotate(
            allocated=total_of(Allocation.objects.filter(budget=OuterRef("pk")).values("budget")),
            spent=total_of(Expenditure.objects.filter(allocation__budget=OuterRef("pk")).values("allocation__budget")),
        ).annotate(unallocated=rounded(F("amount") - F("allocated")), balance=rounded(F("allocated") - F("spent")))


class Budget(BaseModel):
    """Money an area receives for a year from one source, for a purpose; allocated onwards by `allocate`."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="budgets")
    source = models.ForeignKey(FundSource, verbose_name=_("source"), on_delete=models.PROTECT, related_name="budgets")
    amount = money_field(_("amount (yuan)"))
    purpose = models.CharField(_("purpose"), max_length=200)

    scope = Scope(code_path="area__code", view=READERS, change=MANAGERS)
    objects = models.Manager.from_queryset(BudgetQuerySet)()

    class Meta:
        ordering = ["-year", "area__code", "id"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        indexes = [models.Index(fields=["year", "area"], name="funds_budget_year_area_idx")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_budget_amount_positive")]

    def __str__(self) -> str:
        return f"{self.year} {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("funds:budget-detail", args=[self.pk])


class AllocationQuerySet(LedgerQuerySet):
    def with_totals(self) -> AllocationQuerySet:
        """Annotate reversed (sum of reversing rows, ≤ 0), net, spent and balance (net − spent).

        A reversing row itself has net = its (negative) amount and nothing spent: sum `amount` over all rows, or
        `net` over the original rows only, for an area's total.
        """
        return self.annotate(
            reversed_amount=total_of(Allocation.objects.filter(reverses=OuterRef("pk")).values("reverses")),
            spent=total_of(Expenditure.objects.filter(allocation=OuterRef("pk")).values("allocation")),
        ).annotate(
            net=rounded(F("amount") + F("reversed_amount")),
            balance=rounded(F("amount") + F("reversed_amount") - F("spent")),
        )


class LedgerEntry(BaseModel):
    """A posted row: saved once, never changed or deleted (see `LedgerQuerySet` and the service functions)."""

    #: Fields that may still be filled in after posting (the voucher scanned later).
    mutable_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or fields - self.mutable_fields - {"updated_at", "updated_by"}:
                raise PostedEntryError(_("Posted ledger entries are never changed; post a reversing entry instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PostedEntryError(_("Posted ledger entries are never deleted; post a reversing entry instead."))

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class Allocation(LedgerEntry):
    """Money moved out of a budget to one recipient (a project, a commissioner, the platform operation …)."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="allocations")
    recipient_kind = models.CharField(_("recipient kind"), max_length=16, choices=RecipientKind.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("recipient type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("recipient id"), null=True, blank=True)
    recipient = GenericForeignKey("content_type", "object_id")
    recipient_name = models.CharField(pgettext_lazy("allocation", "recipient"), max_length=200)
    amount = money_field(_("amount (yuan)"))
    purpose = models.CharField(_("purpose"), max_length=200)
    allocated_on = models.DateField(_("date"))
    key = models.CharField(_("idempotency key"), max_length=100, blank=True, editable=False)
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    reason = models.CharField(_("reason for reversal"), max_length=300, blank=True)

    scope = Scope(code_path="budget__area__code", view=READERS, change=MANAGERS)
    objects = models.Manager.from_queryset(AllocationQuerySet)()

    class Meta:
        ordering = ["allocated_on", "id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        indexes = [models.Index(fields=["content_type", "object_id"], name="funds_allocation_recipient_idx")]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="funds_allocation_key_unique"),
            # An original entry is positive; a reversing one negative.
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="funds_allocation_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} {yuan(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("funds:allocation-detail", args=[self.pk])


def voucher_path(instance: Expenditure, filename: str) -> str:
    """Never the uploaded name (it may carry personal data): a random one, keeping the extension."""
    return f"funds/vouchers/{instance.spent_on:%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Expenditure(LedgerEntry):
    """Money spent out of an allocation: what for, how much, when, to whom, with the voucher."""

    allocation = models.ForeignKey(
        Allocation, verbose_name=_("allocation"), on_delete=models.PROTECT, related_name="expenditures"
    )
    category = models.CharField(_("category"), max_length=16, choices=ExpenditureCategory.choices)
    amount = money_field(_("amount (yuan)"))
    spent_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    voucher = models.FileField(_("voucher"), upload_to=voucher_path, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("reason for reversal"), max_length=300, blank=True)

    mutable_fields = frozenset({"voucher"})
    #: Logged by name (below): the file object itself is not JSON.
    audit_exclude = ("voucher",)
    scope = Scope(code_path="allocation__budget__area__code", view=READERS, change=MANAGERS)
    objects = models.Manager.from_queryset(LedgerQuerySet)()

    class Meta:
        ordering = ["spent_on", "id"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="funds_expenditure_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee} {yuan(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("funds:allocation-detail", args=[self.allocation_id])

    def audit_values(self, loaded: bool = False) -> dict:
        values = super().audit_values(loaded)
        if values:
            values["voucher"] = self._loaded_values.get("voucher") if loaded else self.voucher.name
        return values
