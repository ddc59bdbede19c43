"""The county's figures on expert assistance: demands by state, specialty and township, median triage and response
times, satisfaction and valid-service rates, SLA breaches, the rankings of townships, info officers and experts,
and the year's subsidies.

Two sets of demands are counted, each by one indexed range on the village code:
- *submitted in the period*: the counts, the medians, the rates and the SLA breaches;
- *resolved in the period and closed*: the rankings (a service counts in the month it was delivered, as the
  subsidies do by year).
A monthly ranking is the period `2020-03`; a year's ranking the period `2020`.

Times are plain (wall-clock) hours, not working hours: they describe how long farmers waited. The medians are
computed by the database on PostgreSQL (`percentile_cont`) and in Python on SQLite (one query listing the values).
Every figure comes from a constant number of aggregate queries, whatever the number of demands.
"""

from __future__ import annotations

import re
import statistics as pystats
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.assistance import services
from sciaid.assistance.choices import OPEN_STATES, AssignmentStatus, DemandStatus
from sciaid.assistance.models import Assignment, Demand
from sciaid.core.roles import Role
from sciaid.core.scoping import is_unrestricted, user_grants
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: Who reads the statistics: the county desk, its admins and supervisors, and the platform's operators.
STATISTICS_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER, Role.SUPERVISOR, Role.PLATFORM_ADMIN})

#: A rating of at least this counts as satisfied.
SATISFIED_RATING = 4

# --- periods ------------------------------------------------------------------------------------------------------

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])))?$")
PERIOD_YEARS = (2000, 2100)


@dataclass(frozen=True)
class Period:
    """A year, a quarter or a month: from `start` (included) to `end` (excluded); `text` is how it was written."""

    start: date
    end: date
    text: str

    @property
    def year(self) -> int:
        return self.start.year


def parse_period(text: str) -> Period:
    """`2020`, `2020-03` or `2020-Q1` → the Period; anything else is a ValidationError on the field "period"."""
    text = (text or "").strip()
    found = PERIOD_PATTERN.match(text)
    if not found:
        raise ValidationError(
            {"period": _("Write the period as a year (2020), a month (2020-03) or a quarter (2020-Q1).")}
        )
    year = int(found["year"])
    if not PERIOD_YEARS[0] <= year <= PERIOD_YEARS[1]:
        raise ValidationError(
            {
                "period": _("The year must be between %(first)d and %(last)d.")
                % {"first": PERIOD_YEARS[0], "last": PERIOD_YEARS[1]}
            }
        )
    if found["month"]:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise ValidationError({"period": _("The month must be between 01 and 12.")})
        return Period(date(year, month, 1), _first_of_next_month(year, month), f"{year}-{month:02d}")
    if found["quarter"]:
        quarter = int(found["quarter"])
        first = 3 * quarter - 2
        return Period(date(year, first, 1), _first_of_next_month(year, first + 2), f"{year}-Q{quarter}")
    return Period(date(year, 1, 1), date(year + 1, 1, 1), str(year))


def _first_of_next_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def latest_service_year(user, **only) -> int:
    """The latest year with data the user may see, where the statistics and the subsidy statements open: the year
    of the latest service delivered (a demand resolved, then closed; `only` narrows them, e.g. to valid ones), else
    of the latest demand submitted, else this year. A desk's open demands of the last days are no year of services
    yet: opening on their year would show rankings, rates and subsidies all empty."""
    served = Q(status=DemandStatus.CLOSED, resolved_at__isnull=False, **only)
    latest = Demand.objects.for_user(user).aggregate(
        served=Max("resolved_at", filter=served), submitted=Max("submitted_at")
    )
    moment = latest["served"] or latest["submitted"]
    return timezone.localtime(moment).year if moment else timezone.localdate().year


def default_period(user) -> Period:
    """Where the page opens: the year of `latest_service_year`."""
    return parse_period(str(latest_service_year(user)))


# --- areas --------------------------------------------------------------------------------------------------------


def statistics_areas(user):
    """The areas (down to townships) a user may read statistics on: under their grants in STATISTICS_ROLES."""
    areas = Area.objects.filter(level__lte=AreaLevel.TOWNSHIP).order_by("code")
    if is_unrestricted(user):
        return areas
    clauses = [Q(code__range=g.area.subtree_bounds) for g in user_grants(user) if g.role in STATISTICS_ROLES]
    if not clauses:
        return areas.none()
    condition = clauses[0]
    for clause in clauses[1:]:
        condition |= clause
    return areas.filter(condition)


def primary_area(user) -> Area | None:
    """The user's widest area among their statistics grants (a province for operators without one)."""
    return statistics_areas(user).order_by("level", "code").first()


# --- medians ------------------------------------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's continuous median (works on numbers and on intervals)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


def database_medians() -> bool:
    return connection.vendor == "postgresql"


def hours(value) -> float | None:
    """A duration (timedelta or seconds) as hours, two decimals; None stays None."""
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return round(seconds / 3600, 2)


def median_hours(values: Iterable) -> float | None:
    values = [v for v in values if v is not None]
    return hours(pystats.median(values)) if values else None


def elapsed(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


# --- figures ------------------------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def assistance_statistics(user, area: Area, period_start: date, period_end: date) -> dict:
    """Every figure of the statistics page for the demands under `area` that `user` may see, from `period_start`
    (included) to `period_end` (excluded); see the module docstring for which demands each figure counts.

    Rates are percentages (Decimal, one decimal, None without data); times are hours (float, None without data).
    """
    start, end = aware(period_start), aware(period_end)
    now = timezone.now()
    visible = Demand.objects.for_user(user).filter(village__code__range=area.subtree_bounds)
    submitted = visible.filter(submitted_at__gte=start, submitted_at__lt=end)
    served = visible.filter(status=DemandStatus.CLOSED, resolved_at__gte=start, resolved_at__lt=end)

    overdue_now = Q(status__in=OPEN_STATES, paused_since__isnull=True, due_at__lt=now)
    totals = {
        "demands": Count("pk"),
        "rated": Count("pk", filter=Q(rating__isnull=False)),
        "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED_RATING)),
        "judged": Count("pk", filter=Q(valid__isnull=False)),
        "valid": Count("pk", filter=Q(valid=True)),
        "overdue_now": Count("pk", filter=overdue_now),
        "breaches": Count("pk", filter=overdue_now | Q(escalation_level__gt=0)),
    }
    if database_medians():
        totals["triage"] = Median(elapsed("submitted_at", "triaged_at"), output_field=DurationField())
        totals["response"] = Median(elapsed("assigned_at", "accepted_at"), output_field=DurationField())
    figures = submitted.aggregate(**totals)
    if database_medians():
        triage_hours, response_hours = hours(figures["triage"]), hours(figures["response"])
    else:
        times = list(submitted.values_list("submitted_at", "triaged_at", "assigned_at", "accepted_at"))
        triage_hours = median_hours(t - s for s, t, _a, _c in times if t)
        response_hours = median_hours(c - a for _s, _t, a, c in times if a and c)

    return {
        "area": {"code": area.code, "name": area.name, "level": area.level},
        "period": {"start": period_start, "end": period_end},
        "demands": figures["demands"],
        "by_state": by_state(submitted),
        **by_specialty(submitted),
        "by_township": by_township(submitted),
        "median_triage_hours": triage_hours,
        "median_response_hours": response_hours,
        "satisfaction": {
            "rated": figures["rated"],
            "satisfied": figures["satisfied"],
            "rate": percent(figures["satisfied"], figures["rated"]),
        },
        "validity": {
            "judged": figures["judged"],
            "valid": figures["valid"],
            "rate": percent(figures["valid"], figures["judged"]),
        },
        "sla": {"breaches": figures["breaches"], "overdue_now": figures["overdue_now"]},
        "rankings": {
            "townships": township_ranking(served),
            "info_officers": officer_ranking(served),
            "experts": expert_ranking(user, served, area, start, end),
        },
        "subsidies": subsidies(area, period_start.year),
    }


def by_state(demands) -> list[dict]:
    """Every state in the journey's order, with its count (zero included, so tables and charts keep their shape)."""
    found = dict(demands.values_list("status").annotate(n=Count("pk")).values_list("status", "n").order_by())
    return [
        {"state": value, "label": str(label), "count": found.get(value, 0)} for value, label in DemandStatus.choices
    ]


def by_specialty(demands) -> dict:
    """Counts by the specialty recorded (a child such as river crabs) and by its top-level category (breeding):
    one count query and one query for the (small) specialty tree."""
    found = dict(demands.values_list("specialty").annotate(n=Count("pk")).values_list("specialty", "n").order_by())
    tree = {s.pk: s for s in Specialty.objects.all()}

    def root(specialty: Specialty) -> Specialty:
        while specialty.parent_id and specialty.parent_id in tree:
            specialty = tree[specialty.parent_id]
        return specialty

    top: dict[int, int] = defaultdict(int)
    rows = []
    for pk, count in found.items():
        specialty = tree[pk]
        category = root(specialty)
        top[category.pk] += count
        rows.append({"code": specialty.code, "name": specialty.name, "category": category.name, "count": count})
    rows.sort(key=lambda row: (-row["count"], row["code"]))
    categories = [
        {"code": tree[pk].code, "name": tree[pk].name, "count": count}
        for pk, count in sorted(top.items(), key=lambda item: (-item[1], tree[item[0]].code))
    ]
    return {"by_category": categories, "by_specialty": rows}


def by_township(demands) -> list[dict]:
    """Counts by township (a village's parent), with how many of them are open, by division code."""
    rows = (
        demands.values("village__parent__code", "village__parent__name")
        .annotate(count=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATES)))
        .order_by("village__parent__code")
    )
    return [
        {
            "code": row["village__parent__code"],
            "name": row["village__parent__name"],
            "count": row["count"],
            "open": row["open"],
        }
        for row in rows
    ]


def ranked(rows: list[dict], key) -> list[dict]:
    """Sort by `key` (best first) and number the rows; equal keys share a rank (1, 2, 2, 4)."""
    rows.sort(key=lambda row: (key(row), row["name"] or ""))
    previous, rank = object(), 0
    for position, row in enumerate(rows, start=1):
        if key(row) != previous:
            previous, rank = key(row), position
        row["rank"] = rank
    return rows


def township_ranking(served) -> list[dict]:
    """Townships by valid services, then by satisfaction rate."""
    rows = (
        served.values("village__parent__code", "village__parent__name")
        .annotate(
            valid=Count("pk", filter=Q(valid=True)),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_RATING)),
        )
        .order_by()
    )
    result = [
        {
            "code": row["village__parent__code"],
            "name": row["village__parent__name"],
            "valid_services": row["valid"],
            "satisfaction_rate": percent(row["satisfied"], row["rated"]),
        }
        for row in rows
    ]
    return ranked(result, lambda row: (-row["valid_services"], -(row["satisfaction_rate"] or Decimal(-1))))


def officer_ranking(served) -> list[dict]:
    """Info officers by the valid demands they submitted (what earns them subsidies)."""
    rows = (
        served.filter(requester_role=Role.INFO_OFFICER)
        .values("requester", "requester__full_name", "requester__username")
        .annotate(valid=Count("pk", filter=Q(valid=True)))
        .order_by()
    )
    result = [
        {
            "id": row["requester"],
            "name": row["requester__full_name"] or row["requester__username"],
            "valid_services": row["valid"],
        }
        for row in rows
    ]
    return ranked(result, lambda row: -row["valid_services"])


def expert_ranking(user, served, area: Area, start: datetime, end: datetime) -> list[dict]:
    """Experts by valid services, then mean rating, then median response (assignment → acceptance, answered in the
    period, on this area's demands)."""
    rows = (
        served.filter(resolved_by__isnull=False)
        .values("resolved_by", "resolved_by__name")
        .annotate(valid=Count("pk", filter=Q(valid=True)), mean_rating=Avg("rating"))
        .order_by()
    )
    answered = Assignment.objects.for_user(user).filter(
        demand__village__code__range=area.subtree_bounds,
        status=AssignmentStatus.ACCEPTED,
        responded_at__gte=start,
        responded_at__lt=end,
    )
    if database_medians():
        medians = {
            row["expert"]: hours(row["median"])
            for row in answered.values("expert")
            .annotate(median=Median("response_seconds", output_field=FloatField()))
            .order_by()
        }
    else:
        seconds: dict[int, list[int]] = defaultdict(list)
        for expert_id, value in answered.values_list("expert", "response_seconds"):
            seconds[expert_id].append(value)
        medians = {expert_id: median_hours(values) for expert_id, values in seconds.items()}
    result = [
        {
            "id": row["resolved_by"],
            "name": row["resolved_by__name"],
            "valid_services": row["valid"],
            "mean_rating": None
            if row["mean_rating"] is None
            else Decimal(str(row["mean_rating"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            "median_response_hours": medians.get(row["resolved_by"]),
        }
        for row in rows
    ]
    return ranked(
        result,
        lambda row: (
            -row["valid_services"],
            -(row["mean_rating"] or 0),
            row["median_response_hours"] if row["median_response_hours"] is not None else float("inf"),
        ),
    )


def subsidies(area: Area, year: int) -> list[dict]:
    """The year's subsidies by the county's rule (services.subsidies); a rule belongs to a county, so other levels
    show none."""
    if area.level != AreaLevel.COUNTY:
        return []
    return [
        {"kind": row.kind, "id": row.recipient_id, "name": row.name, "services": row.services, "amount": row.amount}
        for row in services.subsidies(area, year)
    ]


def json_safe(value):
    """The statistics as JSON: Decimals as strings (money and rates keep their digits), dates as ISO text."""
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def ranking_rows(stats: dict) -> list[list]:
    """The three rankings as one table (a header row first), for the .xlsx/.csv export."""
    header = [
        _("Ranking"),
        _("Rank"),
        _("Name"),
        _("Valid services"),
        _("Satisfaction (%)"),
        _("Mean rating"),
        _("Median response (hours)"),
    ]
    titles = {"townships": _("Townships"), "info_officers": _("Info officers"), "experts": _("Experts")}
    rows = [header]
    for kind, title in titles.items():
        for row in stats["rankings"][kind]:
            rows.append(
                [
                    title,
                    row["rank"],
                    row["name"],
                    row["valid_services"],
                    row.get("satisfaction_rate"),
                    row.get("mean_rating"),
                    row.get("median_response_hours"),
                ]
            )
    return rows
