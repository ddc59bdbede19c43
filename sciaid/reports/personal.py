"""Per-person figures: an expert's own work and an info officer's own villages, for a year.

The indicator layer counts by area; these count by person, so they are small grouped queries here, one per figure
family, each through the records' own scoping (`for_user`): an expert reads only the assignments and demands
assigned to them, an info officer only the villages of their grants. Every query is grouped (by month or by
village): the count is flat in the number of demands.

- Expert, by month of the year: assignments received (by the month assigned), accepted and the mean response time
  (by the month answered), demands they resolved (by the month resolved), of those the rated and satisfied ones
  (rating 4 or 5, as `assistance.satisfaction`) and those that met their SLA (never escalated, as
  `assistance.sla_met` counts a delivered demand); the knowledge entries made from their solutions and published
  (by the month published).
- Info officer, per village of their grants: the year's demands by state, the valid ones and those they collected
  themselves; households helped (the commissioners' stored village figures); trainings held there (events whose venue
  is the village); commissioners paired with it that year.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractMonth

from sciaid.assistance.choices import OPEN_STATES, AssignmentStatus, DemandStatus, KnowledgeStatus
from sciaid.assistance.models import Assignment, Demand, KnowledgeEntry
from sciaid.assistance.statistics import SATISFIED_RATING, aware, percent
from sciaid.commissioners.logs.models import VillageYearFigures
from sciaid.core.roles import Role
from sciaid.core.scoping import user_grants
from sciaid.experts.models import Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.training.models import TrainingEvent

MONTHS = range(1, 13)
EXPERT = "expert"
INFO_OFFICER = "info_officer"
#: Demand states counted as delivered (the service took place) and as set aside.
DELIVERED = frozenset({DemandStatus.RESOLVED, DemandStatus.CLOSED})
SET_ASIDE = frozenset({DemandStatus.MERGED, DemandStatus.REJECTED})


def personal_kind(user) -> str | None:
    """Which personal dashboard a user gets: "expert", "info_officer" or None (an expert grant wins)."""
    roles = {grant.role for grant in user_grants(user)}
    if Role.EXPERT in roles:
        return EXPERT
    if Role.INFO_OFFICER in roles:
        return INFO_OFFICER
    return None


def year_bounds(year: int):
    return aware(date(year, 1, 1)), aware(date(year + 1, 1, 1))


def expert_months(user, year: int) -> list[dict]:
    """The expert's work month by month: 12 dicts (month, assigned, accepted, response_hours, resolved, rated,
    satisfied, sla_met, knowledge, satisfaction, sla_met_rate). Four grouped queries."""
    start, end = year_bounds(year)
    own = Assignment.objects.for_user(user).filter(expert__user_id=user.pk)
    rows = {month: defaultdict(int, month=month) for month in MONTHS}
    assigned = (
        own.filter(assigned_at__gte=start, assigned_at__lt=end)
        .annotate(m=ExtractMonth("assigned_at"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in assigned:
        rows[row["m"]]["assigned"] = row["n"]
    accepted = (
        own.filter(status=AssignmentStatus.ACCEPTED, responded_at__gte=start, responded_at__lt=end)
        .annotate(m=ExtractMonth("responded_at"))
        .values("m")
        .annotate(n=Count("pk"), seconds=Avg("response_seconds"))
        .order_by()
    )
    seconds = {}
    for row in accepted:
        rows[row["m"]]["accepted"] = row["n"]
        seconds[row["m"]] = row["seconds"]
    resolved = (
        Demand.objects.for_user(user)
        .filter(resolved_by__user_id=user.pk, resolved_at__gte=start, resolved_at__lt=end)
        .annotate(m=ExtractMonth("resolved_at"))
        .values("m")
        .annotate(
            n=Count("pk"),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_RATING)),
            escalated=Count("pk", filter=Q(escalation_level__gt=0)),
        )
        .order_by()
    )
    for row in resolved:
        month = rows[row["m"]]
        month.update(resolved=row["n"], rated=row["rated"], satisfied=row["satisfied"])
        month["sla_met"] = row["n"] - row["escalated"]
    knowledge = (
        KnowledgeEntry.objects.for_user(user)
        .filter(
            status=KnowledgeStatus.PUBLISHED,
            demand__resolved_by__user_id=user.pk,
            published_at__gte=start,
            published_at__lt=end,
        )
        .annotate(m=ExtractMonth("published_at"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in knowledge:
        rows[row["m"]]["knowledge"] = row["n"]
    result = []
    for month in MONTHS:
        row = rows[month]
        value = seconds.get(month)
        row["response_hours"] = None if value is None else round(value / 3600, 1)
        result.append(with_rates(row))
    return result


def with_rates(row: dict) -> dict:
    row = dict(row)
    for key in ("assigned", "accepted", "resolved", "rated", "satisfied", "sla_met", "knowledge"):
        row.setdefault(key, 0)
    row["satisfaction"] = percent(row["satisfied"], row["rated"])
    row["sla_met_rate"] = percent(row["sla_met"], row["resolved"])
    return row


def expert_year(months: list[dict]) -> dict:
    """The year's totals of `expert_months` (the response time weighted by the answers of each month)."""
    keys = ("assigned", "accepted", "resolved", "rated", "satisfied", "sla_met", "knowledge")
    total = {key: sum(m[key] for m in months) for key in keys}
    weighted = [(m["response_hours"], m["accepted"]) for m in months if m["response_hours"] is not None]
    answers = sum(n for _hours, n in weighted)
    total["response_hours"] = round(sum(h * n for h, n in weighted) / answers, 1) if answers else None
    return with_rates(total)


def officer_villages(user) -> list[Area]:
    """The villages under the user's info officer grants (one query; none without such a grant)."""
    clauses = [Q(code__range=g.area.subtree_bounds) for g in user_grants(user) if g.role == Role.INFO_OFFICER]
    if not clauses:
        return []
    condition = clauses[0]
    for clause in clauses[1:]:
        condition |= clause
    return list(Area.objects.filter(condition, level=AreaLevel.VILLAGE).order_by("code").only("code", "name"))


def officer_villages_figures(user, year: int) -> list[dict]:
    """Per village of the info officer: received, collected (by this user), open, delivered, set_aside, valid,
    households (helped), trainings, commissioners (names). Five queries whatever the number of demands."""
    villages = officer_villages(user)
    ids = [village.pk for village in villages]
    start, end = year_bounds(year)
    rows = {village.pk: defaultdict(int, village=village, commissioners=[], households=None) for village in villages}
    demands = (
        Demand.objects.for_user(user)
        .filter(village_id__in=ids, submitted_at__gte=start, submitted_at__lt=end)
        .values("village_id")
        .annotate(
            received=Count("pk"),
            collected=Count("pk", filter=Q(requester_id=user.pk)),
            open=Count("pk", filter=Q(status__in=OPEN_STATES)),
            delivered=Count("pk", filter=Q(status__in=DELIVERED)),
            set_aside=Count("pk", filter=Q(status__in=SET_ASIDE)),
            valid=Count("pk", filter=Q(valid=True)),
        )
        .order_by()
    )
    for row in demands:
        rows[row.pop("village_id")].update(row)
    for village_id, households in VillageYearFigures.objects.filter(village_id__in=ids, year=year).values_list(
        "village_id", "households"
    ):
        rows[village_id]["households"] = households
    trainings = (
        TrainingEvent.objects.for_user(user)
        .filter(area_id__in=ids, starts_on__year=year)
        .values("area_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in trainings:
        rows[row["area_id"]]["trainings"] = row["n"]
    pairings = (
        Pairing.objects.for_user(user)
        .filter(village_id__in=ids, year=year)
        .order_by("expert__name")
        .values_list("village_id", "expert__name")
    )
    for village_id, name in pairings:
        rows[village_id]["commissioners"].append(name)
    result = []
    for village in villages:
        row = rows[village.pk]
        for key in ("received", "collected", "open", "delivered", "set_aside", "valid", "trainings"):
            row.setdefault(key, 0)
        result.append(dict(row))
    return result
