"""Every change to areas, households, pairings and visits goes through these functions.

Each checks that the acting user may make the change in that area, validates, writes in one transaction (the audit
entry comes with the save), and re-checks that the result is still inside the user's jurisdiction.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, Substr
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from sciaid.core.jobs import enqueue
from sciaid.core.privacy import blind_index, encrypt, mask_id_number, optional_phone, validate_id_number, validate_phone
from sciaid.core.scoping import CHANGE, VIEW, area_allows, may, may_act_on_some
from sciaid.core.services import service
from sciaid.regions.choices import CODE_DIGITS, AreaLevel, HouseholdStatus
from sciaid.regions.models import Area, AreaStatistics, CadrePairing, Household, HouseholdIncome, Visit
from sciaid.regions.statistics import STATISTICS_FIELDS, write_area_statistics


def _latin(chars: str) -> str:
    """What pypinyin cannot spell, kept as the ASCII letters and digits it holds (full-width ones folded)."""
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", chars).lower())


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese name or title: 姚祠村 → ("yaocicun", "ycc"). Latin letters and digits
    stay, so a variety is found by the number people call it by: 皖稻68 → ("wandao68", "wd68"); punctuation goes."""
    syllables = lazy_pinyin(name, errors=_latin)
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=_latin)
    return "".join(syllables).lower(), "".join(initials).lower()


def _require(user, area: Area, roles) -> None:
    if not area_allows(user, area, roles):
        raise PermissionDenied(_("This area is outside your jurisdiction."))


def _recheck(user, obj) -> None:
    """After a write, inside the transaction: the saved object must still be the user's to change."""
    if not may(user, obj, CHANGE):
        raise PermissionDenied(_("This change would move the record outside your jurisdiction."))


# --- areas -------------------------------------------------------------------------------------------------------


def check_area_code(code: str, level: int, parent: Area | None) -> None:
    """The code must sit under its parent's code, with the digits below its own level left as zeros."""
    digits = CODE_DIGITS[level]
    if parent is None and level != AreaLevel.PROVINCE:
        raise ValidationError({"parent": _("Only a province has no parent area.")})
    if parent is not None:
        if parent.level != level - 1:
            raise ValidationError({"parent": _("The parent must be one level above.")})
        if not code.startswith(parent.prefix):
            raise ValidationError(
                {"code": _("The code must start with the parent's code %(prefix)s.") % {"prefix": parent.prefix}}
            )
    if code[digits:].strip("0") or not code[:digits].strip("0"):
        raise ValidationError({"code": _("This code does not fit the area's level.")})


@service
def save_area(user, *, instance: Area | None = None, **fields) -> Area:
    """Create or change an area inside the user's jurisdiction (a county admin manages their county's tree)."""
    area = instance or Area()
    for key, value in fields.items():
        setattr(area, key, value)
    if area.parent is not None and area.parent.level:
        area.level = area.parent.level + 1
    area.pinyin, area.initials = pinyin_of(area.name)
    check_area_code(area.code, area.level, area.parent)
    if not area.is_poor:
        area.lifted_year = None
    _require(user, area.parent or area, Area.scope.change)
    area.full_clean()
    area.save()
    _recheck(user, area)
    return area


# --- households --------------------------------------------------------------------------------------------------


def check_village(user, village: Area | None) -> Area:
    if village is None or village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("Choose a village.")})
    if not area_allows(user, village, Household.scope.change):
        raise ValidationError({"village": _("This village is outside your jurisdiction.")})
    return village


def set_id_number(household: Household, raw: str) -> None:
    """Validate, encrypt and index the head's ID number; refuse one already registered to another household."""
    if not raw:
        household.id_number_encrypted = household.id_number_masked = ""
        household.id_number_hash = None
        return
    number = validate_id_number(raw)
    digest = blind_index(number)
    taken = Household.objects.filter(id_number_hash=digest).exclude(pk=household.pk).exists()
    if taken:
        raise ValidationError({"id_number": _("This ID number is already registered to another household.")})
    household.id_number_encrypted = encrypt(number)
    household.id_number_hash = digest
    household.id_number_masked = mask_id_number(number)


@service
def save_household(user, *, instance: Household | None = None, id_number: str | None = None, **fields) -> Household:
    """Register or correct a household; its village must be in the user's jurisdiction before and after."""
    household = instance or Household()
    if instance is not None and not may(user, instance, CHANGE):
        raise PermissionDenied(_("This household is outside your jurisdiction."))
    for key, value in fields.items():
        setattr(household, key, value)
    check_village(user, household.village if household.village_id else None)
    if household.phone:
        household.phone = validate_phone(household.phone)
    if id_number is not None:
        set_id_number(household, id_number)
    if household.status != HouseholdStatus.LIFTED and instance is None:
        household.lifted_year = None
    household.full_clean(exclude=["id_number_hash"])
    household.save()
    _recheck(user, household)
    return household


@service
def delete_household(user, household: Household) -> None:
    if not may(user, household, CHANGE):
        raise PermissionDenied(_("This household is outside your jurisdiction."))
    household.delete()


@service
def change_household_status(user, household: Household, action: str, year: int | None = None) -> Household:
    """Lift a household out of poverty, flag it at risk, or register it as poor again (audited transitions)."""
    changes = {"lifted_year": year or date.today().year} if action == "lift" else {}
    return Household.workflow.apply(household, action, user, **changes)


def next_income_year(household: Household) -> int:
    """The year whose income is entered next: the one after the latest recorded (the data's year, not the
    calendar's), never a year not yet over; last year for a household without any."""
    last_over = date.today().year - 1
    latest = household.incomes.aggregate(latest=Max("year"))["latest"]
    return min(latest + 1, last_over) if latest else last_over


@service
def set_income(user, household: Household, year: int, income_per_capita: Decimal) -> HouseholdIncome:
    if not may(user, household, CHANGE):
        raise PermissionDenied(_("This household is outside your jurisdiction."))
    income = HouseholdIncome.objects.filter(household=household, year=year).first() or HouseholdIncome(
        household=household, year=year
    )
    income.income_per_capita = income_per_capita
    income.full_clean(validate_unique=False)
    income.save()
    return income


# --- cadre pairings and visits -----------------------------------------------------------------------------------


@service
def pair_cadre(
    user,
    household: Household,
    *,
    cadre_name: str,
    started_on: date,
    cadre_organisation: str = "",
    cadre_phone: str = "",
) -> CadrePairing:
    """Pair a cadre with a household; the household's village is stored on the pairing."""
    _require(user, household.village, CadrePairing.scope.change)
    pairing = CadrePairing(
        household=household,
        village=household.village,
        cadre_name=cadre_name,
        started_on=started_on,
        cadre_organisation=cadre_organisation,
        cadre_phone=optional_phone(cadre_phone),
    )
    pairing.full_clean()
    pairing.save()
    return pairing


@service
def end_pairing(user, pairing: CadrePairing, ended_on: date) -> CadrePairing:
    if not may(user, pairing, CHANGE):
        raise PermissionDenied(_("This pairing is outside your jurisdiction."))
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("A pairing cannot end before it started.")})
    pairing.ended_on = ended_on
    pairing.save()
    return pairing


@service
def record_visit(
    user, pairing: CadrePairing, *, visited_on: date, notes: str = "", relief_amount: Decimal = Decimal("0.00")
) -> Visit:
    """Record a paired cadre's visit and the relief payment handed over."""
    if not may(user, pairing, CHANGE):
        raise PermissionDenied(_("This pairing is outside your jurisdiction."))
    if visited_on < pairing.started_on or (pairing.ended_on and visited_on > pairing.ended_on):
        raise ValidationError({"visited_on": _("The visit date is outside the pairing's period.")})
    if visited_on > date.today():
        raise ValidationError({"visited_on": _("A visit cannot be recorded in the future.")})
    visit = Visit(
        pairing=pairing, village=pairing.village, visited_on=visited_on, notes=notes, relief_amount=relief_amount
    )
    visit.full_clean()
    visit.save()
    return visit


# --- counts under an area -----------------------------------------------------------------------------------------

#: Above this level (province, city) pages read the refreshed statistics; at county level and below they count live.
LIVE_COUNT_LEVEL = AreaLevel.COUNTY


#: The advisory lock refreshes of the area statistics take turns on (PostgreSQL).
STATISTICS_LOCK = "regions.area_statistics"


@transaction.atomic
def refresh_area_statistics(root: Area | None = None) -> int:
    """Recount villages and households for every area under `root` (everywhere when None); return the areas written.

    One set-based statement (`sciaid.regions.statistics`): households counted per village in one grouped scan,
    rolled up to every level by division-code prefix and upserted; a province's 50,000 villages and 1.5 million
    households take about twice that one scan. Refreshes take turns, each counting only once it has its turn: one
    that counted earlier never writes after (and over) one that counted later.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [STATISTICS_LOCK])
    return write_area_statistics(root.subtree_bounds if root else ("000000000000", "999999999999"))


def schedule_statistics_refresh(user) -> None:
    """After a bulk change, recount the user's area in a job once the change commits."""
    area = user.primary_area()
    enqueue("regions.refresh_statistics", user, {"area_code": area.code if area else None})


def child_counts(user, area: Area) -> list[Area]:
    """The area's children the user may see, each with `village_count`, `poor_count` and `household_count`.

    At county level and below the counts are live and limited to what the user may see (three queries); above,
    they come from the refreshed AreaStatistics, joined to the children (one query), with `counts_refreshed_at` set
    on each child.
    """
    visible = Area.objects.for_user(user).filter(parent=area).order_by("code")
    if area.level < LIVE_COUNT_LEVEL:
        children = list(visible.select_related("statistics"))
        for child in children:
            row = getattr(child, "statistics", None)  # a child not yet counted has no row
            child.village_count = row.villages if row else None
            child.poor_count = row.poor_villages if row else None
            child.household_count = row.households if row else None
            child.counts_refreshed_at = row.refreshed_at if row else None
        return children
    children = list(visible)
    if not children:
        return children
    digits = CODE_DIGITS[children[0].level]
    villages = (
        Area.objects.for_user(user)
        .filter(level=AreaLevel.VILLAGE, code__range=area.subtree_bounds)
        .annotate(prefix=Substr("code", 1, digits))
        .values("prefix")
        .annotate(villages=Count("id"), poor=Count("id", filter=Q(is_poor=True)))
        .order_by()
    )
    households = (
        Household.objects.for_user(user)
        .filter(village__code__range=area.subtree_bounds)
        .annotate(prefix=Substr("village__code", 1, digits))
        .values("prefix")
        .annotate(households=Count("id"))
        .order_by()
    )
    counts: dict[str, dict] = {}
    for row in [*villages, *households]:
        counts.setdefault(row.pop("prefix"), {}).update(row)
    for child in children:
        found = counts.get(child.prefix, {})
        child.village_count = found.get("villages", 0)
        child.poor_count = found.get("poor", 0)
        child.household_count = found.get("households", 0)
        child.counts_refreshed_at = None
    return children


def poverty_figures(user, roots: list[Area]) -> dict[str, int] | None:
    """Villages and households under the user's areas by poverty state, for the home page; None when unknown.

    Keys as in AreaStatistics. At county level and below they are counted live inside the user's scope (two
    aggregate queries); above, they are the refreshed statistics of the user's areas (one query), as on the area
    pages. Household figures are left out for roles that do not read the household registry.
    """
    reads_households = may_act_on_some(user, Household, VIEW)
    if min(area.level for area in roots) < LIVE_COUNT_LEVEL:
        fields = STATISTICS_FIELDS if reads_households else ("villages", "poor_villages", "lifted_villages")
        stored = AreaStatistics.objects.for_user(user).filter(area__in=roots)
        totals = stored.aggregate(**{name: Sum(name) for name in fields})
        return totals if totals["villages"] is not None else None
    figures = (
        Area.objects.for_user(user)
        .filter(level=AreaLevel.VILLAGE)
        .aggregate(
            villages=Count("id"),
            poor_villages=Count("id", filter=Q(is_poor=True)),
            lifted_villages=Count("id", filter=Q(is_poor=True, lifted_year__isnull=False)),
        )
    )
    if reads_households:
        figures |= Household.objects.for_user(user).aggregate(
            households=Count("id"),
            poor_households=Count("id", filter=Q(status=HouseholdStatus.POOR)),
            at_risk_households=Count("id", filter=Q(status=HouseholdStatus.AT_RISK)),
        )
    return figures


def latest_visit_year(user) -> int:
    """The most recent year with a visit the user may see (this year when there is none): where statistics open."""
    latest = Visit.objects.for_user(user).aggregate(last=Max("visited_on"))["last"]
    return latest.year if latest else date.today().year


def visit_statistics(user, area: Area, year: int) -> dict:
    """Visits per month and relief paid in `year` under `area`, as the user may see them; two aggregate queries."""
    visits = Visit.objects.for_user(user).filter(village__code__range=area.subtree_bounds)
    per_month = dict(
        visits.filter(visited_on__year=year)
        .annotate(month=ExtractMonth("visited_on"))
        .values_list("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    per_year = list(
        visits.annotate(year=ExtractYear("visited_on"))
        .values("year")
        .annotate(visits=Count("id"), relief=Sum("relief_amount"))
        .order_by("year")
    )
    return {
        "year": year,
        "months": [{"month": m, "visits": per_month.get(m, 0)} for m in range(1, 13)],
        "years": [
            {"year": row["year"], "visits": row["visits"], "relief": row["relief"] or Decimal("0.00")}
            for row in per_year
        ],
    }
