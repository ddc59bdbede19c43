"""Subsidies for valid services: each county's yearly rule, and the yearly statement of what each expert and info
officer earns, reviewed county → city → province.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.choices import RecipientKind, StatementStatus
from sciaid.assistance.models.demands import JUDGES, TRIAGERS
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope, ScopedManager
from sciaid.core.states import StateMachine, Transition
from sciaid.regions.models import Area


class SubsidyRule(BaseModel):
    """How a county pays valid services in a year (amounts in yuan).

    Expert: `expert_per_service` for each valid service, at most `expert_cap` a year. Info officer: nothing below
    `officer_minimum_services`; `officer_first_amount` once for the first `officer_first_n` valid services, then
    `officer_after_amount` for each further one, at most `officer_cap`. The defaults are the issue's example rule
    (expert ¥100 up to ¥5,000; officer ¥300 for the first 5, ¥30 each after, up to ¥2,000; nothing below 5).
    """

    area = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="subsidy_rules")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    expert_per_service = models.DecimalField(
        _("expert: per valid service"), max_digits=10, decimal_places=2, default=Decimal("100.00")
    )
    expert_cap = models.DecimalField(
        _("expert: yearly cap"), max_digits=10, decimal_places=2, default=Decimal("5000.00")
    )
    officer_first_n = models.PositiveSmallIntegerField(_("info officer: first services"), default=5)
    officer_first_amount = models.DecimalField(
        _("info officer: for the first services"), max_digits=10, decimal_places=2, default=Decimal("300.00")
    )
    officer_after_amount = models.DecimalField(
        _("info officer: per further service"), max_digits=10, decimal_places=2, default=Decimal("30.00")
    )
    officer_cap = models.DecimalField(
        _("info officer: yearly cap"), max_digits=10, decimal_places=2, default=Decimal("2000.00")
    )
    officer_minimum_services = models.PositiveSmallIntegerField(_("info officer: minimum services"), default=5)

    scope = Scope(code_path="area__code", view=TRIAGERS | {Role.SUPERVISOR}, change=JUDGES)

    class Meta:
        ordering = ["-year", "area__code"]
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="assist_subsidy_rule_once_a_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"

    def expert_amount(self, services: int) -> Decimal:
        return min(self.expert_per_service * services, self.expert_cap)

    def officer_amount(self, services: int) -> Decimal:
        if services < max(self.officer_minimum_services, 1):
            return Decimal("0.00")
        further = max(services - self.officer_first_n, 0)
        first = self.officer_first_amount if services >= self.officer_first_n else Decimal("0.00")
        return min(first + self.officer_after_amount * further, self.officer_cap)


# --- subsidy review county → city → province --------------------------------------------------------------------

#: Who prepares, approves and returns statements: county admins (acting at the level of the area they are granted
#: on: county, city or province) and platform admins (province).
STATEMENT_ACTORS = JUDGES


class SubsidyStatement(BaseModel):
    """A county's subsidies of one year, frozen as rows when computed, and reviewed county → city → province.

    Once submitted, the rows no longer change; a returned statement may be recomputed and submitted again, an
    approved one never."""

    county = models.ForeignKey(
        Area,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="subsidy_statements",
        limit_choices_to={"level": 3},
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(
        _("status"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    total = models.DecimalField(_("total (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    submitted_by = actor_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    city_approved_by = actor_field(_("approved by the city"))
    city_approved_at = models.DateTimeField(_("approved by the city at"), null=True, blank=True)
    approved_by = actor_field(_("approved by the province"))
    approved_at = models.DateTimeField(_("approved by the province at"), null=True, blank=True)
    returned_by = actor_field(_("returned by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    scope = Scope(code_path="county__code", view=STATEMENT_ACTORS | {Role.SUPERVISOR}, change=STATEMENT_ACTORS)
    workflow = StateMachine(
        "status",
        [
            Transition(
                "recompute",
                frozenset({StatementStatus.DRAFT, StatementStatus.RETURNED}),
                StatementStatus.DRAFT,
                STATEMENT_ACTORS,
                _("Recompute"),
            ),
            Transition(
                "submit",
                frozenset({StatementStatus.DRAFT, StatementStatus.RETURNED}),
                StatementStatus.SUBMITTED,
                STATEMENT_ACTORS,
                _("Submit to the city"),
            ),
            Transition(
                "approve_city",
                frozenset({StatementStatus.SUBMITTED}),
                StatementStatus.CITY_APPROVED,
                STATEMENT_ACTORS,
                _("Approve (city)"),
            ),
            Transition(
                "approve_province",
                frozenset({StatementStatus.CITY_APPROVED}),
                StatementStatus.APPROVED,
                STATEMENT_ACTORS,
                _("Approve (province)"),
            ),
            Transition(
                "return",
                frozenset({StatementStatus.SUBMITTED, StatementStatus.CITY_APPROVED}),
                StatementStatus.RETURNED,
                STATEMENT_ACTORS,
                _("Return"),
            ),
        ],
    )

    class Meta:
        ordering = ["-year", "county__code"]
        verbose_name = _("subsidy statement")
        verbose_name_plural = _("subsidy statements")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="assist_statement_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class SubsidyStatementRow(models.Model):
    """One recipient's line of a statement, as computed: who, in which role, how many valid services, how much."""

    statement = models.ForeignKey(
        SubsidyStatement, verbose_name=_("subsidy statement"), on_delete=models.CASCADE, related_name="rows"
    )
    kind = models.CharField(_("role"), max_length=16, choices=RecipientKind.choices)
    #: The expert's id (kind "expert") or the info officer's user id: a snapshot, so no foreign key to follow.
    recipient_id = models.PositiveIntegerField(_("recipient id"))
    name = models.CharField(_("name"), max_length=128)
    services = models.PositiveIntegerField(_("valid services"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    scope = Scope(
        code_path="statement__county__code", view=STATEMENT_ACTORS | {Role.SUPERVISOR}, change=STATEMENT_ACTORS
    )
    objects = ScopedManager()

    class Meta:
        ordering = ["statement", "kind", "name", "id"]
        verbose_name = _("subsidy statement row")
        verbose_name_plural = _("subsidy statement rows")

    def __str__(self) -> str:
        return f"{self.name} · {self.amount}"
