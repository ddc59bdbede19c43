"""Experts (incl. S&T commissioners), the specialty tree they are matched by, and commissioners' village pairings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.experts.choices import ExpertLevel
from sciaid.regions.models import Area

ALL_ROLES = frozenset(Role.values)
MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Who looks experts up: routing demands, following services, supervising.
EXPERT_READERS = frozenset({Role.TRIAGE_OFFICER, Role.SUPERVISOR, Role.INFO_OFFICER})


class Specialty(BaseModel):
    """One node of the controlled specialty tree (planting › vegetables …); editable data, bilingual names."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent specialty"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope = Scope(code_path=None, view=ALL_ROLES, change=frozenset({Role.PLATFORM_ADMIN}), catalogue=True)

    class Meta:
        ordering = ["parent_id", "position", "code"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("experts:specialty-edit", args=[self.pk])


class Expert(BaseModel):
    """An expert who serves farmers: a profile for matching (specialties, expertise, where and when they serve).

    `home_area` is the area whose government selected them (province, city or county); they serve that area's
    subtree, so a county sees its own experts and those of its city and province.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="expert"
    )
    name = models.CharField(_("name"), max_length=64)
    organisation = models.CharField(_("organisation"), max_length=128)
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=ExpertLevel.choices, default=ExpertLevel.COUNTY)
    home_area = models.ForeignKey(
        Area, verbose_name=_("selected by (area)"), on_delete=models.PROTECT, related_name="experts"
    )
    specialties = models.ManyToManyField(Specialty, verbose_name=_("specialties"), related_name="experts")
    expertise = models.TextField(_("expertise"), blank=True, help_text=_("What they know and have done, in words."))
    #: The expertise segmented once when saved (space-joined jieba tokens), so matching never re-segments profiles.
    expertise_tokens = models.TextField(_("expertise tokens"), blank=True, editable=False)
    service_areas = models.ManyToManyField(
        Area, verbose_name=_("service areas"), blank=True, related_name="serving_experts"
    )
    availability = models.CharField(
        _("availability"), max_length=128, blank=True, help_text=_("e.g. weekdays 8:00–17:00")
    )
    phone = models.CharField(_("phone"), max_length=11, blank=True)
    is_commissioner = models.BooleanField(_("S&T commissioner"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    scope = Scope(
        code_path="home_area__code",
        view=EXPERT_READERS,
        change=MANAGERS,
        owner_path="user",
        with_ancestors=True,
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        indexes = [models.Index(fields=["is_active", "level"], name="experts_expert_active_idx")]

    #: Derived from `expertise`: logging it again would only double every audit entry.
    audit_exclude = ("expertise_tokens",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("experts:expert-detail", args=[self.pk])


class Pairing(BaseModel):
    """A commissioner paired with a poor village for a year (结对); demand routing prefers the paired expert."""

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="pairings")
    village = models.ForeignKey(
        Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="expert_pairings"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])

    scope = Scope(
        code_path="village__code",
        view=EXPERT_READERS | frozenset({Role.EXPERT}),
        change=MANAGERS,
        owner_path="expert__user",
    )

    class Meta:
        ordering = ["-year", "village__code"]
        verbose_name = _("commissioner pairing")
        verbose_name_plural = _("commissioner pairings")
        constraints = [
            models.UniqueConstraint(fields=["expert", "village", "year"], name="experts_pairing_once_a_year")
        ]
        indexes = [models.Index(fields=["village", "year"], name="experts_pairing_village_idx")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.village} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("experts:expert-detail", args=[self.expert_id])
