"""Administrative areas (province → village), registered poor households, and the cadres paired with them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.privacy import decrypt, mask_id_number
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope, ScopedManager
from sciaid.core.states import StateMachine, Transition
from sciaid.regions.choices import CODE_DIGITS, AreaLevel, HouseholdStatus, PovertyCause

ALL_ROLES = frozenset(Role.values)
AREA_MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Who reads the household registry of their area: managers, officers who serve it, triage, supervisors.
HOUSEHOLD_READERS = frozenset({Role.TRIAGE_OFFICER, Role.SUPERVISOR, Role.FARMER})
HOUSEHOLD_WRITERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.INFO_OFFICER})


def own_household(user, grant) -> Q:
    """A farmer's grant shows their own household only, never their neighbours'."""
    return Q(pk=getattr(user, "household_id", None) or 0)


code_validator = RegexValidator(r"^\d{12}$", _("A division code has exactly 12 digits."))


class Area(BaseModel):
    """One administrative area at any of the five levels, addressed by its official 12-digit division code.

    The code is hierarchical (2+2+2+3+3 digits), so the subtree of an area is a range of codes: one indexed query
    at any depth and size, no recursion.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True, validators=[code_validator])
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=AreaLevel.choices)
    name = models.CharField(_("name"), max_length=64)
    pinyin = models.CharField(_("pinyin"), max_length=200, blank=True, db_index=True)
    initials = models.CharField(_("pinyin initials"), max_length=32, blank=True, db_index=True)
    is_poor = models.BooleanField(_("poor village"), default=False)
    lifted_year = models.PositiveSmallIntegerField(
        _("year lifted out of poverty"), null=True, blank=True, validators=[MinValueValidator(2000)]
    )

    scope = Scope(code_path="code", view=ALL_ROLES, change=AREA_MANAGERS)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [
            models.Index(fields=["level", "code"], name="regions_area_level_code_idx"),
            models.Index(fields=["parent", "name"], name="regions_area_parent_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: CODE_DIGITS[self.level]]

    @property
    def subtree_bounds(self) -> tuple[str, str]:
        """The smallest and largest code under this area (itself included)."""
        return self.prefix.ljust(12, "0"), self.prefix.ljust(12, "9")

    def covers(self, other: Area) -> bool:
        return other.code.startswith(self.prefix)

    def descendants(self, level: int | None = None, include_self: bool = False):
        qs = Area.objects.filter(code__range=self.subtree_bounds)
        if not include_self:
            qs = qs.exclude(pk=self.pk)
        return qs.filter(level=level) if level else qs

    def ancestor_codes(self) -> list[str]:
        """Codes of every area above this one, province first (computed from the code, no query)."""
        return [
            self.code[:digits].ljust(12, "0") for level, digits in sorted(CODE_DIGITS.items()) if level < self.level
        ]

    @property
    def is_village(self) -> bool:
        return self.level == AreaLevel.VILLAGE


class Household(BaseModel):
    """A registered poor household (建档立卡贫困户), counted in its village.

    The head's citizen ID number is stored encrypted, with a keyed hash to keep it unique and a masked copy to show.
    """

    number = models.CharField(_("household number"), max_length=32, unique=True)
    village = models.ForeignKey(
        Area,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"level": AreaLevel.VILLAGE},
        db_index=False,  # (village, status) serves every lookup by village
    )
    head_name = models.CharField(_("head of household"), max_length=64)
    id_number_encrypted = models.TextField(_("citizen ID number (encrypted)"), blank=True, editable=False)
    # NULL, not "", for a household without an ID number: the unique constraint below lets NULLs repeat.
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    id_number_masked = models.CharField(_("citizen ID number"), max_length=18, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=11, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1, validators=[MinValueValidator(1)])
    main_cause = models.CharField(
        _("main cause of poverty"), max_length=16, choices=PovertyCause.choices, default=PovertyCause.OTHER
    )
    other_causes = models.JSONField(_("other causes of poverty"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.POOR)
    lifted_year = models.PositiveSmallIntegerField(_("year lifted out of poverty"), null=True, blank=True)

    audit_exclude = ("id_number_encrypted", "id_number_hash")
    scope = Scope(
        code_path="village__code",
        view=HOUSEHOLD_READERS,
        change=HOUSEHOLD_WRITERS,
        narrowed={Role.FARMER: own_household},
    )
    workflow = StateMachine(
        "status",
        [
            Transition(
                "lift",
                frozenset({HouseholdStatus.POOR, HouseholdStatus.AT_RISK}),
                HouseholdStatus.LIFTED,
                AREA_MANAGERS,
                _("Mark lifted out of poverty"),
            ),
            Transition(
                "flag_at_risk",
                frozenset({HouseholdStatus.LIFTED}),
                HouseholdStatus.AT_RISK,
                HOUSEHOLD_WRITERS,
                _("Flag at risk of return"),
            ),
            Transition(
                "return_to_poverty",
                frozenset({HouseholdStatus.AT_RISK}),
                HouseholdStatus.POOR,
                AREA_MANAGERS,
                _("Register as poor again"),
            ),
        ],
    )

    class Meta:
        ordering = ["village__code", "number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["village", "status"], name="regions_household_vil_st_idx"),
            models.Index(fields=["main_cause"], name="regions_household_cause_idx"),
        ]
        # A constraint, not `unique=True`: the field's form would add a second, LIKE-pattern index on PostgreSQL that
        # no lookup of a hash uses and every import would pay for.
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], name="regions_household_id_hash_unique")]

    def __str__(self) -> str:
        return f"{self.head_name} ({self.number})"

    @property
    def id_number(self) -> str:
        return decrypt(self.id_number_encrypted)

    @property
    def masked_id_number(self) -> str:
        return self.id_number_masked or mask_id_number(self.id_number)


class HouseholdIncome(BaseModel):
    """Net income per capita of a household in one year, in yuan."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    income_per_capita = models.DecimalField(
        _("income per capita (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    scope = Scope(
        code_path="household__village__code",
        view=HOUSEHOLD_READERS,
        change=HOUSEHOLD_WRITERS,
        narrowed={Role.FARMER: lambda user, grant: Q(household_id=getattr(user, "household_id", 0) or 0)},
    )

    class Meta:
        ordering = ["household", "-year"]
        verbose_name = _("income per capita")
        verbose_name_plural = _("incomes per capita")
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="regions_income_once_a_year")]

    def __str__(self) -> str:
        return f"{self.household} {self.year}: {self.income_per_capita}"


PAIRING_READERS = frozenset({Role.SUPERVISOR})


class CadrePairing(BaseModel):
    """A cadre paired with a poor household to help it (结对帮扶, the seeds' "hanging bags to help")."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="pairings"
    )
    #: The village is stored when the pairing is made, so moving a household later does not move its history.
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    cadre_name = models.CharField(_("cadre"), max_length=64)
    cadre_organisation = models.CharField(_("cadre's organisation"), max_length=128, blank=True)
    cadre_phone = models.CharField(_("cadre's phone"), max_length=11, blank=True)
    started_on = models.DateField(_("paired since"))
    ended_on = models.DateField(_("paired until"), null=True, blank=True)

    scope = Scope(code_path="village__code", view=PAIRING_READERS, change=AREA_MANAGERS)

    class Meta:
        ordering = ["household", "-started_on"]
        verbose_name = _("cadre pairing")
        verbose_name_plural = _("cadre pairings")

    def __str__(self) -> str:
        return f"{self.cadre_name} → {self.household.head_name}"


class Visit(BaseModel):
    """A paired cadre's visit to the household, with any relief payment (慰问金) handed over, in yuan."""

    pairing = models.ForeignKey(
        CadrePairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="visits"
    )
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("date"), db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    relief_amount = models.DecimalField(
        _("relief payment (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0))],
    )

    scope = Scope(code_path="village__code", view=PAIRING_READERS, change=AREA_MANAGERS)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["village", "visited_on"], name="regions_visit_village_date_idx")]

    def __str__(self) -> str:
        return f"{self.pairing.cadre_name} {self.visited_on}"


class AreaStatistics(models.Model):
    """Villages and households counted under one area, refreshed by a job.

    Pages above county level read these rows instead of counting 1.5 million households per request (DESIGN §7);
    `refreshed_at` tells how fresh they are.
    """

    area = models.OneToOneField(
        Area, verbose_name=_("area"), primary_key=True, on_delete=models.CASCADE, related_name="statistics"
    )
    villages = models.PositiveIntegerField(_("villages"), default=0)
    poor_villages = models.PositiveIntegerField(_("poor villages"), default=0)
    lifted_villages = models.PositiveIntegerField(_("poor villages lifted"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)
    poor_households = models.PositiveIntegerField(_("poor households"), default=0)
    lifted_households = models.PositiveIntegerField(_("households lifted"), default=0)
    at_risk_households = models.PositiveIntegerField(_("households at risk"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    scope = Scope(code_path="area__code", view=HOUSEHOLD_READERS | HOUSEHOLD_WRITERS | PAIRING_READERS)
    objects = ScopedManager()

    class Meta:
        ordering = ["area__code"]
        verbose_name = _("area statistics")
        verbose_name_plural = _("area statistics")

    def __str__(self) -> str:
        return str(self.area)
