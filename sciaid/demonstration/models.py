"""Demonstration sites, bases and parks (示范基地) with their yearly figures and photos.

A site is entered by the managers of its county: who operates it, in which village, for which industry, on how many
mu, which published achievements (varieties and techniques) it demonstrates, which commissioners serve it, and how
many households it drives (of them registered poor households, picked from the registry). Its commissioners enter
its yearly figures; everyone logged in in the area reads it; the public reads active and closed sites without a
login, never a household or an operating household's name (`sciaid.demonstration.public`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.achievements.models import Achievement
from sciaid.core.models import BaseModel
from sciaid.core.photos import Gallery, Photo
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW, GrantFilter, Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.demonstration.choices import PUBLIC_STATES, OperatorKind, SiteKind, SiteStatus
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

#: Who enters, publishes and closes sites: the managers of an area.
MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Everyone logged in reads the sites of their area.
READERS = frozenset(Role.values)
FIRST_YEAR = 2000


def commissioned(path: str) -> GrantFilter:
    """The rows (at `path`, a site key) of the sites the user serves as a commissioner, wherever their grant is.
    A subquery rather than a join, so a site with several commissioners is never listed twice."""

    def narrow(user, grant) -> Q:
        links = DemoSite.commissioners.through.objects.filter(expert__user_id=user.pk)
        return Q(**{f"{path}__in": links.values("demosite_id")})

    return narrow


def in_grant_area(code_path: str) -> GrantFilter:
    def narrow(user, grant) -> Q:
        return Q(**{f"{code_path}__range": grant.area.subtree_bounds})

    return narrow


class DemoSite(BaseModel):
    """A demonstration site, base or park in a village; `name_pinyin` is kept by the services for sorting."""

    name = models.CharField(_("name"), max_length=200)
    name_pinyin = models.CharField(_("name pinyin"), max_length=400, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.BASE)
    operator_kind = models.CharField(_("operator kind"), max_length=16, choices=OperatorKind.choices)
    operator_name = models.CharField(_("operator"), max_length=200)
    village = models.ForeignKey(
        Area,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AreaLevel.VILLAGE},
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    industry = models.ForeignKey(Specialty, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+")
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    established_year = models.PositiveSmallIntegerField(
        _("established in"), null=True, blank=True, validators=[MinValueValidator(1949), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), blank=True)
    achievements = models.ManyToManyField(
        Achievement, verbose_name=_("varieties and techniques demonstrated"), blank=True, related_name="+"
    )
    commissioners = models.ManyToManyField(
        Expert, verbose_name=_("commissioners"), blank=True, related_name="demo_sites"
    )
    households_driven = models.PositiveIntegerField(_("households driven"), default=0)
    poor_households_driven = models.PositiveIntegerField(_("of them poor households"), default=0)
    poor_households = models.ManyToManyField(
        Household, verbose_name=_("registered poor households driven"), blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=SiteStatus.choices, default=SiteStatus.DRAFT)

    scope = Scope(
        code_path="village__code",
        view=READERS,
        change=MANAGERS,
        granted={VIEW: {Role.EXPERT: commissioned("pk")}},
    )
    workflow = StateMachine(
        "status",
        [
            Transition("publish", frozenset({SiteStatus.DRAFT}), SiteStatus.ACTIVE, MANAGERS, _("Publish")),
            Transition("close", frozenset({SiteStatus.ACTIVE}), SiteStatus.CLOSED, MANAGERS, _("Close")),
            Transition("reopen", frozenset({SiteStatus.CLOSED}), SiteStatus.ACTIVE, MANAGERS, _("Reopen")),
        ],
    )

    class Meta:
        ordering = ["name_pinyin", "id"]
        verbose_name = _("demonstration site")
        verbose_name_plural = _("demonstration sites")
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="demonstration_site_unique_name"),
            models.CheckConstraint(condition=Q(area_mu__gte=0), name="demonstration_site_area_not_negative"),
            models.CheckConstraint(
                condition=Q(poor_households_driven__lte=models.F("households_driven")),
                name="demonstration_site_poor_within_driven",
            ),
        ]
        indexes = [models.Index(fields=["status", "name_pinyin"], name="demo_site_status_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("demonstration:site-detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("demonstration:public-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES

    @property
    def operator_is_person(self) -> bool:
        """A household operator is a person: the public never reads its name or coordinates (its home)."""
        return self.operator_kind == OperatorKind.HOUSEHOLD

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
        if self.poor_households_driven > self.households_driven:
            raise ValidationError(
                {"poor_households_driven": _("Poor households are counted among the households driven.")}
            )


class SiteFigures(BaseModel):
    """One year's figures of a site: entered by its commissioners or its county, or imported from a spreadsheet."""

    site = models.ForeignKey(DemoSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    output = models.DecimalField(
        _("output (tonnes)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    yield_per_mu = models.DecimalField(
        _("yield per mu (kg)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    income = models.DecimalField(_("income (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    households_driven = models.PositiveIntegerField(_("households driven"))
    poor_income_increase = models.DecimalField(
        _("income increase per poor household (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    scope = Scope(
        code_path="site__village__code",
        view=READERS,
        change=MANAGERS | {Role.EXPERT},
        # An expert changes the figures of the sites they serve, and reads those of their area too.
        narrowed={Role.EXPERT: commissioned("site")},
        granted={VIEW: {Role.EXPERT: in_grant_area("site__village__code")}},
    )

    class Meta:
        ordering = ["site", "year"]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="demonstration_figures_one_per_year"),
            models.CheckConstraint(
                condition=Q(output__gte=0, yield_per_mu__gte=0, income__gte=0, poor_income_increase__gte=0),
                name="demonstration_figures_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("demonstration:site-detail", args=[self.site_id])


class SitePhoto(Photo):
    """A photo of a site (up to twelve), re-encoded without EXIF data (no GPS, no camera serial) under a random
    name; the public sees those of public sites."""

    site = models.ForeignKey(DemoSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="photos")

    gallery = Gallery("site", folder="demo-sites", max_photos=12)
    scope = Scope(
        code_path="site__village__code",
        view=READERS,
        change=MANAGERS,
        granted={VIEW: {Role.EXPERT: commissioned("site")}},
    )
