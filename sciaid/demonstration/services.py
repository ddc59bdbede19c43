"""Entering, publishing and closing demonstration sites; their yearly figures and photos; what their pages read.

Every function checks the acting user's role and jurisdiction and the row's state, and writes its audit entry in the
same transaction (saves through the audit signals, transitions through the state machine).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.achievements.models import Achievement
from sciaid.core.portal import ALL_YEARS
from sciaid.core.publishing import PublicationStatus
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, VIEW, area_allows, granted_roles, is_unrestricted, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.demonstration.choices import PUBLIC_STATES, SiteStatus
from sciaid.demonstration.models import FIRST_YEAR, MANAGERS, DemoSite, SiteFigures, SitePhoto, commissioned
from sciaid.experts.models import Expert
from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.regions.portal import count_again
from sciaid.regions.services import pinyin_of
from sciaid.training.models import TrainingEvent
from sciaid.training.statistics import fulfilment_figures

#: The portal's tallies (`portal.py`): the public sites, and the households they drove per year.
SITES_TALLY, FIGURES_TALLY = "demonstration_sites", "demonstration_figures"
#: The figures a year has, in the order pages, exports and the import show them.
FIGURE_FIELDS = ("output", "yield_per_mu", "income", "households_driven", "poor_income_increase")


def public_sites() -> QuerySet:
    """Sites the public reads: demonstrating or closed, never one still being entered."""
    return DemoSite.objects.filter(status__in=PUBLIC_STATES)


def sites_of_county(user, area: Area) -> QuerySet:
    """The sites of `area`'s county that `user` may see: what a workstation of the area may be located at, or a
    project of the county may demonstrate at (`involvement`)."""
    prefix = area.code[: CODE_DIGITS[AreaLevel.COUNTY]]
    bounds = (prefix.ljust(12, "0"), prefix.ljust(12, "9"))
    return DemoSite.objects.for_user(user, VIEW).filter(village__code__range=bounds).order_by("name_pinyin", "pk")


def sites_for_figures(user) -> QuerySet:
    """The sites whose yearly figures `user` may enter: those they manage, and those they serve as a commissioner
    (the same rule as `SiteFigures.scope` for rows already entered)."""
    if is_unrestricted(user):
        return DemoSite.objects.all()
    clause = Q(pk__in=DemoSite.objects.for_user(user, CHANGE).values("pk"))
    if Role.EXPERT in granted_roles(user):
        clause |= commissioned("pk")(user, None)
    return DemoSite.objects.filter(clause)


def _require_change(user, obj, message: str) -> None:
    if not may(user, obj, CHANGE):
        raise PermissionDenied(message)


# --- sites -------------------------------------------------------------------------------------------------------


def _locked_site(pk: int) -> tuple[str, str]:
    """The site's status and village code, its row locked: every change the portal counts (publishing the site,
    moving it, its figures) takes this lock first, so none is counted against a state another change is altering."""
    return DemoSite.objects.select_for_update(of=("self",)).filter(pk=pk).values_list("status", "village__code").get()


def _count_site_again(site: DemoSite, *codes: str) -> None:
    """Recount the portal's tallies of a public site where the villages `codes` count it: the site, and the
    households driven of every year it has figures for."""
    years = list(site.figures.values_list("year", flat=True))
    count_again(SITES_TALLY, *((code, ALL_YEARS) for code in codes))
    count_again(FIGURES_TALLY, *((code, year) for code in codes for year in years))


def _check_village(user, village: Area | None) -> None:
    if village is None or village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("Choose the village the site is in.")})
    if not area_allows(user, village, MANAGERS):
        raise ValidationError({"village": _("Choose a village of your jurisdiction.")})


def _check_links(user, site: DemoSite, achievements, commissioners, households) -> None:
    """Published achievements only; commissioners and registered households the user may see, the households of
    the site's county, no more of them than the poor households counted."""
    if achievements is not None and any(item.status != PublicationStatus.PUBLISHED for item in achievements):
        raise ValidationError({"achievements": _("Choose published achievements.")})
    if commissioners is not None:
        visible = Expert.objects.for_user(user, VIEW).filter(pk__in=[e.pk for e in commissioners]).count()
        if visible != len({e.pk for e in commissioners}):
            raise ValidationError({"commissioners": _("Choose experts of your jurisdiction.")})
    if households:
        county = site.village.code[: CODE_DIGITS[AreaLevel.COUNTY]]
        if any(not h.village.code.startswith(county) for h in households):
            raise ValidationError({"poor_households": _("Choose registered households of the site's county.")})
        visible = Household.objects.for_user(user, VIEW).filter(pk__in=[h.pk for h in households]).count()
        if visible != len({h.pk for h in households}):
            raise ValidationError({"poor_households": _("Choose households of your jurisdiction.")})
        if site.poor_households_driven < len({h.pk for h in households}):
            raise ValidationError(
                {"poor_households_driven": _("At least as many poor households are driven as are picked.")}
            )


@service
def save_site(
    user,
    *,
    instance: DemoSite | None = None,
    achievements: Iterable[Achievement] | None = None,
    commissioners: Iterable[Expert] | None = None,
    poor_households: Iterable[Household] | None = None,
    **fields,
) -> DemoSite:
    """Enter a site in a village the user runs, or correct one. Refused: a second site of the same name in the
    village, an achievement not published, a household of another county, more households picked than counted."""
    before = None
    if instance is not None:
        _require_change(user, instance, _("This site is outside your jurisdiction."))
        before = _locked_site(instance.pk)
    site = instance or DemoSite()
    for key, value in fields.items():
        setattr(site, key, value)
    site.name, site.operator_name = (site.name or "").strip(), (site.operator_name or "").strip()
    if not site.name:
        raise ValidationError({"name": _("Give the site a name.")})
    if not site.operator_name:
        raise ValidationError({"operator_name": _("Name the operator.")})
    _check_village(user, site.village if site.village_id else None)
    achievements, commissioners, poor_households = (
        None if links is None else list(links) for links in (achievements, commissioners, poor_households)
    )
    _check_links(user, site, achievements, commissioners, poor_households)
    same = DemoSite.objects.filter(village=site.village, name=site.name).exclude(pk=site.pk)
    if same.exists():
        raise ValidationError({"name": _("The village already has a site of this name; change that one instead.")})
    site.name_pinyin = pinyin_of(site.name)[0][:400]
    site.full_clean(exclude=["achievements", "commissioners", "poor_households"])
    site.save()
    for relation, values in (
        (site.achievements, achievements),
        (site.commissioners, commissioners),
        (site.poor_households, poor_households),
    ):
        if values is not None:
            relation.set(values)
    _require_change(user, site, _("This change would move the site outside your jurisdiction."))
    if before is not None and before[0] in PUBLIC_STATES and before[1] != site.village.code:
        _count_site_again(site, before[1], site.village.code)  # the portal counts it in its new village
    return site


@service
def delete_site(user, site: DemoSite) -> None:
    """Remove a site still being entered; a published one is closed instead, its history kept."""
    _require_change(user, site, _("This site is outside your jurisdiction."))
    if site.status != SiteStatus.DRAFT:
        raise TransitionRefused(_("Only a site still being entered can be deleted; close it instead."))
    site.delete()


@service
def publish_site(user, site: DemoSite) -> DemoSite:
    """The site demonstrates from now on: the public reads its page."""
    DemoSite.workflow.apply(site, "publish", user, updated_at=timezone.now())
    _count_site_again(site, _locked_site(site.pk)[1])  # the portal's figures
    return site


@service
def close_site(user, site: DemoSite, note: str = "") -> DemoSite:
    """The site no longer demonstrates; its page and history stay public."""
    return DemoSite.workflow.apply(site, "close", user, note=(note or "").strip(), updated_at=timezone.now())


@service
def reopen_site(user, site: DemoSite) -> DemoSite:
    return DemoSite.workflow.apply(site, "reopen", user, updated_at=timezone.now())


# --- yearly figures ----------------------------------------------------------------------------------------------


def check_year(year: int | None) -> None:
    """A year of figures is one that has begun: from 2000 to this year."""
    this_year = timezone.localdate().year
    if year is None or not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {"year": _("Give a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": this_year}}
        )


@service
def record_figures(user, site: DemoSite, *, year: int, **values) -> tuple[SiteFigures, bool]:
    """Enter a site's figures of a year; a second entry for the same year corrects the first. Returns (row,
    created). Refused: a user who neither manages the site nor serves it, a year not begun, a negative number."""
    if not sites_for_figures(user).filter(pk=site.pk).exists():
        raise PermissionDenied(_("Only the site's commissioners and its county enter its figures."))
    check_year(year)
    unknown = set(values) - set(FIGURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown figures {sorted(unknown)}")
    status, village = _locked_site(site.pk)
    row = SiteFigures.objects.filter(site=site, year=year).first()
    created = row is None
    row = row or SiteFigures(site=site, year=year)
    for key, value in values.items():
        setattr(row, key, value)
    row.full_clean(exclude=["site"], validate_constraints=False)
    row.save()
    if status in PUBLIC_STATES:
        count_again(FIGURES_TALLY, (village, year))  # the portal's figures
    return row, created


@service
def delete_figures(user, row: SiteFigures) -> None:
    """Remove a year entered by mistake."""
    _require_change(user, row, _("These figures are outside your jurisdiction."))
    status, village = _locked_site(row.site_id)
    row.delete()
    if status in PUBLIC_STATES:
        count_again(FIGURES_TALLY, (village, row.year))  # the portal's figures


def figures_chart(rows: Sequence[SiteFigures]) -> list[dict]:
    """The history as bar charts (`static/js/charts.js`): income and households driven per year."""
    years = [str(row.year) for row in rows]
    return [
        {"id": "income-data", "label": _("Income (yuan)"), "years": years, "values": [float(r.income) for r in rows]},
        {
            "id": "households-data",
            "label": _("Households driven"),
            "years": years,
            "values": [r.households_driven for r in rows],
        },
    ]


# --- photos ------------------------------------------------------------------------------------------------------


@service
def add_photos(user, site: DemoSite, uploads: Sequence, caption: str = "") -> list[SitePhoto]:
    """Store photos of the site (its managers), checked and re-encoded, at most `SitePhoto.gallery.max_photos`."""
    return SitePhoto.gallery.add(user, site, uploads, caption=caption)


@service
def delete_photo(user, photo: SitePhoto) -> None:
    """Remove a photo of the site (its managers); the file goes once the deletion is committed."""
    SitePhoto.gallery.remove(user, photo)


@service
def put_photo_first(user, photo: SitePhoto) -> None:
    """Make the photo the site's cover, shown first on its pages and in the API."""
    SitePhoto.gallery.put_first(user, photo)


# --- training events held at a site ------------------------------------------------------------------------------


def events_at(events: QuerySet, site: DemoSite) -> QuerySet:
    """The training events among `events` held at (fulfilling) the site, newest first."""
    content_type = ContentType.objects.get_for_model(DemoSite)
    return events.filter(fulfils_type=content_type, fulfils_id=site.pk).order_by("-starts_on", "-id")


def training_figures(site: DemoSite) -> dict[str, int]:
    """{"events", "trainees"} of the trainings that took place at the site (each trainee once per event)."""
    return fulfilment_figures(DemoSite, [site.pk]).get(site.pk, {"events": 0, "trainees": 0})


def visible_events(user, site: DemoSite) -> QuerySet:
    return events_at(TrainingEvent.objects.for_user(user, VIEW), site)
