"""Which experts to route a demand to, and which resolved demands resemble a new one.

The expert score (shown with its reasons on the triage page) is a weighted sum:

    score = 3.0 · specialty      1.0 same specialty, 0.5 a related one (same parent, or parent and child)
          + 2.0 · text           BM25 of the demand's words over the expert's expertise, divided by the best score
          + proximity            2.0 commissioner paired with the village this year, 1.0 selected by its county,
                                 0.6 by its city, 0.3 by its province
          − workload             0.25 per open assignment (pending or accepted on an open demand), at most 1.5
          + satisfaction         (mean rating − 3) / 4: from −0.5 (all 1s) to +0.5 (all 5s); 0 when never rated
          + responsiveness       0.5 · (1 − median hours to answer an assignment / 48), not below 0; 0 when unknown

Only active experts within the demand's reach (its county, city, province, or paired with its village) who share
its specialty family, or are paired with the village, are candidates: a few indexed queries restrict the 20,000
experts of a province first, then aggregate queries compute workload, ratings and response times for the
candidates only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Aggregate, Avg, Count, FloatField, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.assistance.choices import OPEN_ASSIGNMENTS, OPEN_STATES, SERVED_STATES, AssignmentStatus
from sciaid.assistance.models import Assignment, Demand
from sciaid.core.scoping import within_granted_areas
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.experts.text import bm25_scores, tokens

WEIGHTS = {"specialty": 3.0, "text": 2.0}
PROXIMITY = {"paired": 2.0, "county": 1.0, "city": 0.6, "province": 0.3}
WORKLOAD_PENALTY, WORKLOAD_CAP = 0.25, 1.5
RESPONSE_HORIZON_HOURS = 48
#: Candidates scored at most, after the indexed restriction (the best specialty matches first).
CANDIDATE_LIMIT = 300
#: Resolved demands compared by BM25 at most in a similar-demand search.
SIMILAR_CANDIDATES = 500


class Median(Aggregate):
    """The median on PostgreSQL (percentile_cont); SQLite, which has none, gets the mean instead."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        mean = self.copy()
        mean.function, mean.template = "AVG", "%(function)s(%(distinct)s%(expressions)s)"
        return mean.as_sql(compiler, connection, **extra_context)


@dataclass
class Recommendation:
    expert: Expert
    score: float
    reasons: list[str]

    def __iter__(self):
        return iter((self.expert, self.score, self.reasons))


def specialty_family(specialty: Specialty) -> tuple[set[int], set[int]]:
    """(the specialty itself, the related ones: its parent, siblings and children) as primary keys."""
    related = set(Specialty.objects.filter(parent_id=specialty.pk).values_list("pk", flat=True))
    if specialty.parent_id:
        related |= set(Specialty.objects.filter(parent_id=specialty.parent_id).values_list("pk", flat=True))
        related.add(specialty.parent_id)
    related.discard(specialty.pk)
    return {specialty.pk}, related


def track_records(expert_ids: list[int]) -> dict[int, tuple[int, float | None, float | None]]:
    """Per expert: open assignments, mean rating and median response seconds, in two grouped queries.

    Only the open workload needs the demand's state (few rows); ratings and response times are read from the
    assignments alone, which the (expert, status) index serves, so the million-row demand table is never scanned.
    """
    workload = dict(
        Assignment.objects.filter(expert_id__in=expert_ids, status__in=OPEN_ASSIGNMENTS, demand__status__in=OPEN_STATES)
        .values_list("expert_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    records = {}
    past = (
        Assignment.objects.filter(expert_id__in=expert_ids, status=AssignmentStatus.ACCEPTED)
        .values("expert_id")
        .annotate(rating=Avg("rating"), response=Median("response_seconds"))
        .order_by()
    )
    for row in past:
        records[row["expert_id"]] = (workload.get(row["expert_id"], 0), row["rating"], row["response"])
    for expert_id, count in workload.items():
        records.setdefault(expert_id, (count, None, None))
    return records


def recommend_experts(demand: Demand, limit: int = 10) -> list[Recommendation]:
    """The experts best placed to serve `demand`, best first, each with its score and the reasons for it."""
    village = demand.village
    ancestors = village.ancestor_codes()  # province, city, county, township
    same, related = specialty_family(demand.specialty)
    paired = set(
        Pairing.objects.filter(village=village, year=timezone.localdate().year).values_list("expert_id", flat=True)
    )
    reach = Expert.objects.filter(is_active=True).filter(Q(home_area__code__in=ancestors) | Q(pk__in=paired))
    candidate_ids = list(
        reach.filter(Q(specialties__in=same | related) | Q(pk__in=paired))
        .values_list("pk", flat=True)
        .distinct()[:CANDIDATE_LIMIT]
    )
    if not candidate_ids:
        return []
    experts = list(Expert.objects.filter(pk__in=candidate_ids).select_related("home_area"))
    history = track_records(candidate_ids)
    for expert in experts:
        expert.workload, expert.mean_rating, expert.response = history.get(expert.pk, (0, None, None))
    specialties: dict[int, set[int]] = {}
    through = Expert.specialties.through.objects.filter(expert_id__in=candidate_ids)
    for expert_id, specialty_id in through.values_list("expert_id", "specialty_id"):
        specialties.setdefault(expert_id, set()).add(specialty_id)
    text = bm25_scores(
        tokens(f"{demand.title} {demand.description}"),
        {expert.pk: expert.expertise_tokens.split() for expert in experts},
    )
    best_text = max(text.values(), default=0.0) or 1.0
    county_code, city_code = ancestors[2], ancestors[1]
    ranked = []
    for expert in experts:
        score, reasons = 0.0, []
        owned = specialties.get(expert.pk, set())
        if owned & same:
            score += WEIGHTS["specialty"]
            reasons.append(_("Same specialty"))
        elif owned & related:
            score += WEIGHTS["specialty"] * 0.5
            reasons.append(_("Related specialty"))
        matched = text.get(expert.pk, 0.0) / best_text
        if matched > 0:
            score += WEIGHTS["text"] * matched
            reasons.append(_("Expertise matches the description (%(percent)d%%)") % {"percent": round(matched * 100)})
        home = expert.home_area.code
        if expert.pk in paired:
            score += PROXIMITY["paired"]
            reasons.append(_("Commissioner paired with this village"))
        elif home == county_code:
            score += PROXIMITY["county"]
            reasons.append(_("Expert of this county"))
        elif home == city_code:
            score += PROXIMITY["city"]
            reasons.append(_("Expert of this city"))
        else:
            score += PROXIMITY["province"]
            reasons.append(_("Expert of the province"))
        if expert.workload:
            score -= min(expert.workload * WORKLOAD_PENALTY, WORKLOAD_CAP)
            reasons.append(_("%(count)d open demands") % {"count": expert.workload})
        if expert.mean_rating is not None:
            score += (float(expert.mean_rating) - 3) / 4
            reasons.append(_("Rated %(rating).1f on average") % {"rating": expert.mean_rating})
        if expert.response is not None:
            hours = float(expert.response) / 3600
            score += 0.5 * max(0.0, 1 - hours / RESPONSE_HORIZON_HOURS)
            reasons.append(_("Answers in %(hours).0f h (median)") % {"hours": hours})
        ranked.append(Recommendation(expert, round(score, 3), reasons))
    ranked.sort(key=lambda r: (-r.score, r.expert.name, r.expert.pk))
    return ranked[:limit]


def similar_demands(text: str, user, limit: int = 5) -> list[tuple[Demand, float]]:
    """Resolved demands the user may see that resemble `text`, best first, by BM25 over their stored words.

    The database first narrows to recent served demands containing one of the query's longest words (an indexed
    scan of at most SIMILAR_CANDIDATES rows); BM25 then ranks those exactly.
    """
    query = list(dict.fromkeys(tokens(text)))
    if not query:
        return []
    keys = sorted(query, key=len, reverse=True)[:8]
    matches = Q()
    for word in keys:
        matches |= Q(search_tokens__contains=word)
    candidates = list(
        within_granted_areas(Demand.objects.for_user(user), user)
        .filter(status__in=SERVED_STATES)
        .filter(matches)
        .select_related("specialty", "village")
        .order_by("-resolved_at")[:SIMILAR_CANDIDATES]
    )
    scores = bm25_scores(query, {demand.pk: demand.search_tokens.split() for demand in candidates})
    ranked = sorted((d for d in candidates if scores.get(d.pk, 0) > 0), key=lambda d: (-scores[d.pk], -d.pk))
    return [(demand, round(scores[demand.pk], 3)) for demand in ranked[:limit]]


__all__ = ["Median", "Recommendation", "recommend_experts", "similar_demands"]
