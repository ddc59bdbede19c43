"""Indicator values for an area and a period, and the refresh of the pre-aggregated table.

- A county reads live: the sources compute its figures from the domain tables (a constant number of grouped queries).
- A city or the province reads the stored county rows (`IndicatorValue`), summed in one query, whatever the number
  of counties; ratios divide the summed numerator by the summed denominator.
- `refresh_indicators(year)` recomputes every county's rows with the sources' grouped queries and upserts them in
  one transaction, in a fixed order, so two refreshes at once neither duplicate nor lose a row (the unique
  constraint makes the second update what the first inserted; the order keeps them from deadlocking).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.assistance.statistics import Period, parse_period
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW, Scope, is_unrestricted, user_grants
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.indicators import REGISTRY, SOURCES, Indicator, Source, Unit
from sciaid.reports.indicators.registry import ZERO, Values, as_decimal
from sciaid.reports.models import WHOLE_YEAR, IndicatorValue

#: Who reads indicators of their areas: the county's desk and admins, supervisors and the platform's operators.
READERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER, Role.SUPERVISOR})
#: Areas above this level read the stored rows; a county reads live.
LIVE_LEVEL = AreaLevel.COUNTY
#: The months of a year, as stored (0 is the whole year).
MONTHS = range(1, 13)
UPSERT_BATCH = 1000


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's value for an area and a period (a ratio also gives what it divides)."""

    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    live: bool = True
    refreshed_at: datetime | None = None

    def as_dict(self) -> dict:
        indicator = self.indicator
        return {
            "key": indicator.key,
            "label": str(indicator.label),
            "unit": indicator.unit,
            "unit_label": str(Unit(indicator.unit).label),
            "additive": indicator.additive,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "live": self.live,
            "refreshed_at": self.refreshed_at,
        }


# --- reading ----------------------------------------------------------------------------------------------------


def may_read_indicators(user) -> bool:
    return is_unrestricted(user) or any(grant.role in READERS for grant in user_grants(user))


def indicator_areas(user) -> QuerySet[Area]:
    """The areas under the user's grants of a role that reads indicators: the one scoping mechanism
    (`sciaid.core.scoping`), as the other statistics apply it. Indicators exist down to counties only."""
    areas = Area.objects.order_by("code")
    if is_unrestricted(user):
        return areas
    condition = Scope(code_path="code", view=READERS).filter_for(user, VIEW)
    return areas.filter(condition) if condition is not None else areas.none()


def parse_keys(keys: Iterable[str] | str | None) -> list[Indicator]:
    """The indicators named (a comma-separated text or a list; every one when none is named), or a ValidationError
    on "keys" naming the unknown ones."""
    if isinstance(keys, str):
        keys = [key.strip() for key in keys.split(",")]
    keys = [key for key in (keys or []) if key]
    if not keys:
        return list(REGISTRY.values())
    unknown = [key for key in keys if key not in REGISTRY]
    if unknown:
        raise ValidationError({"keys": _("Unknown indicators: %(keys)s.") % {"keys": ", ".join(unknown)}})
    return [REGISTRY[key] for key in dict.fromkeys(keys)]


def is_whole_year(period: Period) -> bool:
    return period.start.month == 1 and period.end.year == period.start.year + 1


def months_of(period: Period) -> list[int]:
    """The stored months a period sums: [0] for a whole year, else its months."""
    if is_whole_year(period):
        return [WHOLE_YEAR]
    last = period.end.month - 1 or 12
    return list(range(period.start.month, last + 1))


def check_period(indicators: list[Indicator], period: Period) -> None:
    """Refuse a month or quarter for indicators that exist per year only, naming them."""
    if is_whole_year(period):
        return
    yearly = [indicator.key for indicator in indicators if not indicator.monthly]
    if yearly:
        raise ValidationError(
            {
                "period": _("These indicators exist for a whole year only; ask for %(year)d: %(keys)s.")
                % {"year": period.year, "keys": ", ".join(yearly)}
            }
        )


def indicator_values(user, area: Area, period: Period, keys: Iterable[str] | str | None) -> list[IndicatorResult]:
    """The values of the indicators `keys` for `area` (a county, a city, the province) and `period`, for `user`.

    A user whose roles read no indicators is refused (PermissionDenied); an area outside their jurisdiction is a 404,
    as if it did not exist; an unknown key, an area below a county or a finer period than an indicator exists for
    is a ValidationError on its field.
    """
    indicators, parts = checked_request(user, area, period, keys)
    if area.level == LIVE_LEVEL:
        return results_of(indicators, live_figures(period, [area], parts).get(area.pk, {}), live=True)
    figures, refreshed_at = stored_figures(area, period, parts)
    return results_of(indicators, figures, refreshed_at=refreshed_at)


def indicator_months(user, area: Area, year: int, keys: Iterable[str] | str | None) -> dict[int, list[IndicatorResult]]:
    """{month: the values of the monthly indicators `keys`} for each month of `year` (a dashboard's trend): above a
    county from the stored rows in one query for the twelve months; a county computes each month live. Refusals as
    `indicator_values`."""
    if area.level == LIVE_LEVEL:
        return {month: indicator_values(user, area, parse_period(f"{year}-{month:02d}"), keys) for month in MONTHS}
    indicators, parts = checked_request(user, area, parse_period(f"{year}-01"), keys)
    rows = (
        IndicatorValue.objects.filter(area__code__range=area.subtree_bounds, year=year, month__in=MONTHS, key__in=parts)
        .values("month", "key")
        .annotate(total=Sum("value"), refreshed=Min("refreshed_at"))
        .order_by()
    )
    figures: dict[int, dict[str, Decimal]] = {month: {} for month in MONTHS}
    refreshed = [row["refreshed"] for row in rows]
    for row in rows:
        figures[row["month"]][row["key"]] = as_decimal(row["total"])
    oldest = min(refreshed) if refreshed else None
    return {month: results_of(indicators, figures[month], refreshed_at=oldest) for month in MONTHS}


def stored_version(year: int) -> datetime | None:
    """The latest refresh of any stored row of `year`: what the figures above a county read for that year were
    made of (a rendered dashboard is cached under it). One index-only lookup (`reports_iv_year_refreshed_idx`); a
    refresh of any county changes it, which is coarser than the area but never stale."""
    return IndicatorValue.objects.filter(year=year).aggregate(latest=Max("refreshed_at"))["latest"]


def checked_request(user, area: Area, period: Period, keys) -> tuple[list[Indicator], list[str]]:
    """The indicators asked for and the additive keys they need, once the user, area and period are allowed."""
    if not may_read_indicators(user):
        raise PermissionDenied
    if not indicator_areas(user).filter(pk=area.pk).exists():
        raise Http404
    if area.level > AreaLevel.COUNTY:
        raise ValidationError({"area": _("Indicators are kept for counties, cities and the province.")})
    indicators = parse_keys(keys)
    check_period(indicators, period)
    return indicators, list(dict.fromkeys(part for indicator in indicators for part in indicator.parts))


def results_of(
    indicators: list[Indicator],
    figures: dict[str, Decimal],
    *,
    live: bool = False,
    refreshed_at: datetime | None = None,
) -> list[IndicatorResult]:
    results = []
    for indicator in indicators:
        numerator = denominator = None
        if not indicator.additive:
            numerator = figures.get(indicator.numerator, ZERO)
            denominator = figures.get(indicator.denominator, ZERO)
        results.append(
            IndicatorResult(
                indicator, indicator.value_of(figures), numerator, denominator, live=live, refreshed_at=refreshed_at
            )
        )
    return results


def sources_of(keys: Iterable[str]) -> list[Source]:
    return list({REGISTRY[key].source.name: REGISTRY[key].source for key in keys}.values())


def live_figures(period: Period, counties: list[Area], keys: Iterable[str]) -> Values:
    """{county id: {key: value}} of the additive `keys`, computed now by their sources (each source once)."""
    result: Values = {}
    for source_ in sources_of(keys):
        for county_id, row in source_.compute(period, counties).items():
            result.setdefault(county_id, {}).update(row)
    return result


def stored_figures(area: Area, period: Period, keys: list[str]) -> tuple[dict[str, Decimal], datetime | None]:
    """The stored values of the counties under `area` summed per key over the period's months, and the oldest
    refresh they come from: one query, whatever the number of counties."""
    rows = (
        IndicatorValue.objects.filter(
            area__code__range=area.subtree_bounds, year=period.year, month__in=months_of(period), key__in=keys
        )
        .values("key")
        .annotate(total=Sum("value"), refreshed=Min("refreshed_at"))
        .order_by()
    )
    figures, refreshed = {}, []
    for row in rows:
        figures[row["key"]] = as_decimal(row["total"])
        refreshed.append(row["refreshed"])
    return figures, min(refreshed) if refreshed else None


# --- refreshing -------------------------------------------------------------------------------------------------


def refresh_indicators(year: int, counties: Iterable[Area] | None = None) -> int:
    """Recompute every additive indicator of `year` for `counties` (every county when None) and upsert the rows:
    the whole year (month 0) for every indicator, and each month for those that exist per month. Every county gets
    a row for every key (zero included), so a figure that fell to zero is rewritten, never left stale. Returns the
    rows written.

    Each source runs its grouped queries once for the year (or twelve times, once per month, when monthly), for all
    the counties at once.
    """
    counties = (
        list(Area.objects.filter(level=AreaLevel.COUNTY).order_by("code"))
        if counties is None
        else sorted(counties, key=lambda county: county.code)
    )
    if not counties:
        return 0
    now = timezone.now()
    values: dict[tuple[int, str, int], Decimal] = {}
    for source_ in SOURCES.values():
        if source_.monthly:
            for month in MONTHS:
                computed = source_.compute(parse_period(f"{year}-{month:02d}"), counties)
                for county in counties:
                    row = computed.get(county.pk, {})
                    for key in source_.keys:
                        amount = row.get(key, ZERO)
                        values[month, key, county.pk] = amount
                        values[WHOLE_YEAR, key, county.pk] = values.get((WHOLE_YEAR, key, county.pk), ZERO) + amount
        else:
            computed = source_.compute(parse_period(str(year)), counties)
            for county in counties:
                row = computed.get(county.pk, {})
                for key in source_.keys:
                    values[WHOLE_YEAR, key, county.pk] = row.get(key, ZERO)
    # One order for every refresh (the unique constraint's), so two at once lock rows in the same order.
    rows = [
        IndicatorValue(key=key, area_id=area_id, year=year, month=month, value=value, refreshed_at=now)
        for (month, key, area_id), value in sorted(values.items())
    ]
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(
            rows,
            batch_size=UPSERT_BATCH,
            update_conflicts=True,
            unique_fields=["year", "month", "key", "area"],
            update_fields=["value", "refreshed_at"],
        )
    return len(rows)
