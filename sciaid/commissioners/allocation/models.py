"""A county's yearly rule for paying its commissioners from a budget, through the funds ledger."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.common import MANAGERS, READERS, year_field
from sciaid.core.models import BaseModel
from sciaid.core.scoping import Scope
from sciaid.regions.models import Area


class AllocationRule(BaseModel):
    """How a county pays its commissioners for a year (the seeds: ¥3,400 for one village, more for two or more).

    A commissioner paired with n villages of the county that year earns `base_amount + increment × (n − 1)`.
    Posting the rule (services.post_allocation_rule) puts one allocation per commissioner in the funds ledger, each
    with a key naming county, year and commissioner, so posting again never pays anyone twice.
    """

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    base_amount = models.DecimalField(
        _("amount for one village (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("3400.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    increment = models.DecimalField(
        _("increment per further village (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    budget = models.ForeignKey(
        "funds.Budget",
        verbose_name=_("posted from budget"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    scope = Scope(code_path="county__code", view=READERS, change=MANAGERS)

    class Meta:
        ordering = ["-year", "county__code"]
        verbose_name = _("commissioner allocation rule")
        verbose_name_plural = _("commissioner allocation rules")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="comm_allocation_rule_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:allocation-rule", args=[self.pk])

    def amount_for(self, villages: int) -> Decimal:
        """What a commissioner paired with `villages` villages earns (nothing for none)."""
        if villages < 1:
            return Decimal("0.00")
        return self.base_amount + self.increment * (villages - 1)
