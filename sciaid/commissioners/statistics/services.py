"""What the county reads about its commissioners: pairing coverage of poor villages, progress against agreement
targets, alerts, and the yearly figures the seeds' reports print.

Every figure comes from a constant number of aggregate queries restricted by one indexed range on the village code,
whatever the number of commissioners and logs; the yearly statistics read the per-village figures the services keep
(`VillageYearFigures`, recomputed for a village whenever one of its logs is confirmed), not the logs themselves.

Only confirmed service logs count. A training event is the record of the training it holds: the events fulfilling
an agreement add their trainings and trainees (read at query time, `sciaid.commissioners.fulfilment`), and a log
that records one of them counts as a service but not as a training (so nothing is counted twice). Households
helped are counted distinct through the registry (a household helped by three logs counts once) plus the
unregistered households each log counted. A team's log is one service for the area's totals, and counts for each
member in per-commissioner figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.text import capfirst

from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.assistance.statistics import SATISFIED_RATING, percent
from sciaid.commissioners.agreements.choices import TARGETS, AgreementStatus
from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.appraisals.models import Appraisal
from sciaid.commissioners.fulfilment import area_event_figures
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.models import ServiceLog, VillageYearFigures
from sciaid.commissioners.teams.models import Team, TeamMember
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.models import Area
from sciaid.training.statistics import fulfilment_figures

LOG_FIGURES = ("services", "trainings", "trainees", "varieties", "techniques", "other_households")
#: The figures stored per village and year (`VillageYearFigures`, kept by the services).
STORED_FIGURES = ("services", "trainings", "trainees", "varieties", "techniques", "households")


def group_level(area: Area) -> int:
    """A county's figures are broken down by township, higher areas' by county."""
    return AreaLevel.TOWNSHIP if area.level >= AreaLevel.COUNTY else AreaLevel.COUNTY


def group_of(path: str, level: int) -> Substr:
    """The code prefix of the township / county an area code lies in, for grouping with one GROUP BY."""
    return Substr(path, 1, CODE_DIGITS[level])


def group_names(prefixes, level: int) -> dict[str, Area]:
    codes = [prefix.ljust(12, "0") for prefix in prefixes]
    return {area.code[: CODE_DIGITS[level]]: area for area in Area.objects.filter(code__in=codes)}


def poor_villages(area: Area):
    return Area.objects.filter(level=AreaLevel.VILLAGE, is_poor=True, code__range=area.subtree_bounds)


def with_coverage(villages, year: int):
    """Villages annotated with `covered`: a commissioner or a service team serves them that year."""
    paired = Pairing.objects.filter(village=OuterRef("pk"), year=year)
    teamed = Team.villages.through.objects.filter(area=OuterRef("pk"), team__year=year)
    return villages.annotate(covered=Exists(paired) | Exists(teamed))


def latest_year(area: Area | None) -> int:
    """The latest year with commissioner work under `area`: pairings or service teams (every log, agreement and
    appraisal belongs to one), else the current year. Pages and forms open on it, so a county whose data end in 2020
    does not open on an empty current year. Two indexed aggregates."""
    years = []
    if area is not None:
        bounds = area.subtree_bounds
        years = [
            Pairing.objects.filter(village__code__range=bounds).aggregate(y=Max("year"))["y"],
            Team.objects.filter(county__code__range=bounds).aggregate(y=Max("year"))["y"],
        ]
    return max((year for year in years if year), default=timezone.localdate().year)


# --- coverage ---------------------------------------------------------------------------------------------------


def coverage(area: Area, year: int, uncovered_limit: int = 500) -> dict:
    """Poor villages covered / total per township (or county) and overall, and the uncovered ones by name."""
    level = group_level(area)
    villages = with_coverage(poor_villages(area), year)
    rows = list(
        villages.annotate(group=group_of("code", level))
        .values("group")
        .annotate(total=Count("pk"), covered_count=Count("pk", filter=Q(covered=True)))
        .order_by("group")
    )
    names = group_names([row["group"] for row in rows], level)
    groups = [
        {
            "area": names.get(row["group"]),
            "code": row["group"].ljust(12, "0"),
            "total": row["total"],
            "covered": row["covered_count"],
            "uncovered": row["total"] - row["covered_count"],
            "rate": percent(row["covered_count"], row["total"]),
        }
        for row in rows
    ]
    total = sum(row["total"] for row in groups)
    covered = sum(row["covered"] for row in groups)
    uncovered = villages.filter(covered=False).select_related("parent").order_by("code")[:uncovered_limit]
    return {
        "area": area,
        "year": year,
        "total": total,
        "covered": covered,
        "uncovered_count": total - covered,
        "rate": percent(covered, total),
        "groups": groups,
        "uncovered": list(uncovered),
    }


# --- agreement progress -----------------------------------------------------------------------------------------


def log_figures() -> dict:
    """The aggregates of confirmed logs that agreements' targets and the statistics are measured in. A log that
    records a training event is no training of its own: the event counts (see the module docstring)."""
    training = Q(kind=ServiceKind.TRAINING, training_event__isnull=True)
    return {
        "services": Count("pk"),
        "trainings": Count("pk", filter=training),
        "trainees": Coalesce(Sum("participants", filter=training), 0),
        "varieties": Coalesce(Sum("new_varieties"), 0),
        "techniques": Coalesce(Sum("new_techniques"), 0),
        "other_households": Coalesce(Sum("other_households"), 0),
    }


def distinct_households(logs: dict, by) -> dict:
    """Registry households helped by the logs matching the lookups `logs`, counted once per value of `by` (an
    expression on the link table). The lookups are applied through the join, not as an `IN (subquery)`, which
    PostgreSQL would plan as a second pass over the logs."""
    through = ServiceLog.households.through.objects.filter(**{f"servicelog__{k}": v for k, v in logs.items()})
    return dict(
        through.annotate(key=by)
        .values("key")
        .annotate(n=Count("household", distinct=True))
        .values_list("key", "n")
        .order_by()
    )


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    target: int
    actual: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.actual, self.target)

    @property
    def met(self) -> bool:
        return self.actual >= self.target


def progress(agreements) -> dict[int, list[Target]]:
    """Each agreement's targets beside what its confirmed logs and the training events fulfilling it achieved (four
    aggregate queries for any number)."""
    agreements = list(agreements)
    ids = [a.pk for a in agreements]
    logs = ServiceLog.objects.filter(agreement_id__in=ids, status=LogStatus.CONFIRMED)
    sums = {row["agreement"]: row for row in logs.values("agreement").annotate(**log_figures()).order_by()}
    households = distinct_households(
        {"agreement_id__in": ids, "status": LogStatus.CONFIRMED}, F("servicelog__agreement")
    )
    events = fulfilment_figures(Agreement, ids)
    result = {}
    for agreement in agreements:
        row = sums.get(agreement.pk, {})
        actual = {key: row.get(key, 0) for key in LOG_FIGURES}
        actual["trainings"] += events.get(agreement.pk, {}).get("events", 0)
        actual["trainees"] += events.get(agreement.pk, {}).get("trainees", 0)
        actual["households"] = households.get(agreement.pk, 0) + actual["other_households"]
        result[agreement.pk] = [
            Target(
                key,
                str(capfirst(Agreement._meta.get_field(field).verbose_name)),
                getattr(agreement, field),
                actual[key],
            )
            for field, key in TARGETS
        ]
    return result


# --- alerts -----------------------------------------------------------------------------------------------------


def last_visits(area: Area, year: int) -> dict[int, date | None]:
    """Every commissioner serving the area this year (paired or in a team) → their last confirmed visit there."""
    low, high = area.subtree_bounds
    paired = Pairing.objects.filter(village__code__range=(low, high), year=year).values_list("expert", flat=True)
    members = TeamMember.objects.filter(team__county__code__range=(low, high), team__year=year).values_list(
        "expert", flat=True
    )
    serving: dict[int, date | None] = dict.fromkeys({*paired.distinct(), *members.distinct()})
    confirmed = ServiceLog.objects.filter(status=LogStatus.CONFIRMED, village__code__range=(low, high))
    own = confirmed.values_list("expert").annotate(last=Max("served_on")).order_by()
    team = (
        TeamMember.objects.filter(team__logs__in=confirmed.filter(team__isnull=False).values("pk"))
        .values_list("expert")
        .annotate(last=Max("team__logs__served_on"))
        .order_by()
    )
    for expert_id, last in [*own, *team]:
        if expert_id in serving and (serving[expert_id] is None or last > serving[expert_id]):
            serving[expert_id] = last
    return serving


def idle_commissioners(area: Area, year: int, today: date, days: int | None = None) -> list[dict]:
    """Commissioners serving the area whose last confirmed village visit is more than `days` ago, or who have none."""
    days = settings.COMMISSIONER_IDLE_DAYS if days is None else days
    cutoff = today - timedelta(days=days)
    visits = last_visits(area, year)
    idle = {pk: last for pk, last in visits.items() if last is None or last < cutoff}
    experts = Expert.objects.filter(pk__in=idle).only("pk", "name", "organisation", "level", "phone")
    rows = [
        {
            "expert": expert,
            "last_visit": idle[expert.pk],
            "days": (today - idle[expert.pk]).days if idle[expert.pk] else None,
        }
        for expert in experts
    ]
    return sorted(rows, key=lambda row: (row["last_visit"] or date.min, row["expert"].name))


def behind_target(area: Area, year: int, today: date) -> list[dict]:
    """Signed agreements past the middle of their term that reached less than half of some target."""
    agreements = list(
        Agreement.objects.filter(
            village__code__range=area.subtree_bounds, year=year, status=AgreementStatus.SIGNED
        ).select_related("village", "expert", "team")
    )
    due = [a for a in agreements if a.starts_on + (a.ends_on - a.starts_on) / 2 <= today]
    figures = progress(due)
    rows = []
    for agreement in due:
        lagging = [t for t in figures[agreement.pk] if t.target and t.actual * 2 < t.target]
        if lagging:
            rows.append({"agreement": agreement, "lagging": lagging, "targets": figures[agreement.pk]})
    return rows


# --- yearly statistics -----------------------------------------------------------------------------------------


def commissioner_statistics(area: Area, year: int) -> dict:
    """The commissioners' year for an area, overall and per township (or county): commissioners by level, poor
    villages covered, trainings and trainees (of the logs, plus the events fulfilling the year's agreements there),
    new varieties and techniques, households helped, satisfaction, and the published appraisal ratings."""
    level = group_level(area)
    pairings = Pairing.objects.filter(village__code__range=area.subtree_bounds, year=year)
    by_level = dict(pairings.values_list("expert__level").annotate(n=Count("expert", distinct=True)).order_by())
    overall_people = pairings.aggregate(n=Count("expert", distinct=True))["n"]
    people = dict(
        pairings.annotate(group=group_of("village__code", level))
        .values_list("group")
        .annotate(n=Count("expert", distinct=True))
        .order_by()
    )
    stored = VillageYearFigures.objects.filter(village__code__range=area.subtree_bounds, year=year)
    sums = {
        row["group"]: row
        for row in stored.annotate(group=group_of("village__code", level))
        .values("group")
        .annotate(**{key: Sum(key) for key in STORED_FIGURES})
        .order_by()
    }
    for prefix, events in area_event_figures(area, year, level).items():
        row = sums.setdefault(prefix, dict.fromkeys(STORED_FIGURES, 0))
        row["trainings"] += events["trainings"]
        row["trainees"] += events["trainees"]
    cover = coverage(area, year, uncovered_limit=0)
    ratings = appraisal_distribution(area, year)
    groups = []
    for row in cover["groups"]:
        prefix = row["code"][: CODE_DIGITS[level]]
        groups.append(_figures(row, people.get(prefix, 0), sums.get(prefix, {})))
    totals = _figures(cover, overall_people, _sum_rows(sums.values()))
    return {
        "area": area,
        "year": year,
        "levels": [
            {"level": value, "label": str(label), "count": by_level.get(value, 0)}
            for value, label in ExpertLevel.choices
        ],
        "totals": totals,
        "groups": groups,
        "satisfaction": satisfaction(area, year),
        "appraisal": [
            {"rating": value, "label": str(label), "count": ratings[value]} for value, label in Rating.choices
        ],
    }


def _sum_rows(rows) -> dict:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for key in STORED_FIGURES:
            totals[key] += row[key]
    return totals


def _figures(cover: dict, commissioners: int, sums: dict) -> dict:
    figures = {key: sums.get(key, 0) for key in STORED_FIGURES}
    return {
        "area": cover.get("area"),
        "commissioners": commissioners,
        "poor_villages": cover["total"],
        "covered": cover["covered"],
        "coverage_rate": percent(cover["covered"], cover["total"]),
        **figures,
    }


def satisfaction(area: Area, year: int) -> dict:
    """Farmers' ratings of the demands commissioners resolved in the area that year (assistance's threshold)."""
    rated = Demand.objects.filter(
        village__code__range=area.subtree_bounds,
        status=DemandStatus.CLOSED,
        resolved_by__is_commissioner=True,
        resolved_at__year=year,
        rating__isnull=False,
    ).aggregate(rated=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_RATING)))
    return {**rated, "rate": percent(rated["satisfied"], rated["rated"])}


def appraisal_distribution(area: Area, year: int) -> dict[str, int]:
    """Published ratings of the year under `area` (a county, or a city/province summing its counties):
    {"excellent": n, "qualified": n, "unqualified": n}; one query."""
    counts = dict.fromkeys(Rating.values, 0)
    rows = (
        Appraisal.objects.filter(
            rubric__year=year,
            rubric__status=RoundStatus.PUBLISHED,
            rubric__county__code__range=area.subtree_bounds,
        )
        .values("rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["rating"]] = row["n"]
    return counts
