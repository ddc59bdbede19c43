"""Which experts to route a demand to, and which resolved demands resemble a new one.

The expert score (shown with its reasons on the triage page) is a weighted sum:

    score = 3.0 · specialty      1.0 same specialty, 0.5 a related one (same parent, or parent and child)
          + 2.0 · text           BM25 of the demand's words over the expert's expertise, divided by the best score
          + proximity            2.0 commissioner paired with the village (the pairings in force, see
                                 `pairings_in_force`), else 1.0 selected by its county, 0.6 by its city, 0.3 by its
                                 province (an expert's home area is the government that selected them, whatever
                                 their employer: a province institute's researcher selected by the county is the
                                 county's)
          − workload             0.25 per open assignment (pending or accepted on an open demand), at most 1.5
          + satisfaction         (mean rating − 3) / 4: from −0.5 (all 1s) to +0.5 (all 5s); 0 when never rated
          + responsiveness       0.5 · (1 − median hours to answer an assignment / 48), not below 0; 0 when unknown

Only active experts within the demand's reach (its county, city, province, or paired with its village) who share
its specialty family, or are paired with the village, are candidates: a few indexed queries restrict the 20,000
experts of a province first, and at most CANDIDATE_LIMIT of them are scored, the paired ones and the best specialty
matches first (same specialty before a related one), so the cap never drops a better match for a worse one.
Workload, ratings and response times come from each candidate's `ExpertRecord`, which the services keep up to date
whenever an assignment or its demand changes (`service_records` says how they are computed), so scoring reads one
row per candidate instead of their whole history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Aggregate, Case, Count, FloatField, IntegerField, Max, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sciaid.assistance.choices import OPEN_ASSIGNMENTS, OPEN_STATES, SERVED_STATES, AssignmentStatus
from sciaid.assistance.models import Assignment, Demand, ExpertRecord
from sciaid.core.scoping import within_granted_areas
from sciaid.core.text import bm25_scores, tokens
from sciaid.experts.models import Expert, Pairing, Specialty

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


#: Why an expert is recommended, translated only for the experts shown.
REASONS = {
    "same": gettext_lazy("Same specialty"),
    "related": gettext_lazy("Related specialty"),
    "text": gettext_lazy("Expertise matches the description (%(percent)d%%)"),
    "paired": gettext_lazy("Commissioner paired with this village in %(year)d"),
    "county": gettext_lazy("Selected by this county"),
    "city": gettext_lazy("Selected by the city"),
    "province": gettext_lazy("Selected by the province"),
    "workload": gettext_lazy("%(count)d open demands"),
    "rating": gettext_lazy("Rated %(rating).1f on average"),
    "response": gettext_lazy("Answers in %(hours).0f h (median)"),
}
#: The stored service record's columns a candidate is scored by (`ExpertRecord`; NULL when it has none yet).
RECORD_COLUMNS = ("open_assignments", "ratings", "rating_total", "response_seconds")


@dataclass
class Candidate:
    """One candidate as scored: a few columns of the expert, of its home area and of its service record."""

    pk: int
    name: str
    expertise_tokens: str
    home: str
    open_assignments: int | None
    ratings: int | None
    rating_total: int | None
    response: float | None

    @property
    def workload(self) -> int:
        return self.open_assignments or 0

    @property
    def mean_rating(self) -> float | None:
        return self.rating_total / self.ratings if self.ratings else None


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


def pairings_in_force(village) -> dict[int, int]:
    """The commissioners paired with `village` now, as {expert id: pairing year}: this year's pairings, or, until
    this year's are made, those of the latest year before (a commissioner keeps serving the village until the next
    selection pairs it again, so routing does not lose them every January). Two indexed queries."""
    latest = Pairing.objects.filter(village=village, year__lte=timezone.localdate().year).aggregate(year=Max("year"))
    if latest["year"] is None:
        return {}
    return dict(Pairing.objects.filter(village=village, year=latest["year"]).values_list("expert_id", "year"))


def specialty_match(same: set[int], related: set[int]) -> Max:
    """2 for an expert with the demand's own specialty, 1 for a related one only, 0 otherwise (one aggregate over
    the expert's specialties)."""
    return Max(
        Case(
            When(specialties__in=same, then=Value(2)),
            When(specialties__in=related, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def service_records(expert_ids: Iterable[int] | None = None) -> dict[int, ExpertRecord]:
    """What the service records of these experts (None: of every expert with an assignment) hold, computed from the
    assignments in two grouped queries (unsaved rows).

    The services store this for the experts a transition touched, and `rebuild_expert_records` for all of them; the
    recommendation itself only reads the stored rows. Only the open workload needs the demand's state (few rows);
    ratings and response times are read from the assignments alone, which the (expert, status) index serves.
    """
    everyone = Assignment.objects.order_by().values_list("expert_id", flat=True).distinct()
    ids = list(everyone if expert_ids is None else expert_ids)
    chosen = Q() if expert_ids is None else Q(expert_id__in=ids)
    records = {pk: ExpertRecord(expert_id=pk) for pk in ids}
    workload = (
        Assignment.objects.filter(chosen, status__in=OPEN_ASSIGNMENTS, demand__status__in=OPEN_STATES)
        .values_list("expert_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for expert_id, count in workload:
        records[expert_id].open_assignments = count
    past = (
        Assignment.objects.filter(chosen, status=AssignmentStatus.ACCEPTED)
        .values("expert_id")
        .annotate(ratings=Count("rating"), total=Sum("rating"), response=Median("response_seconds"))
        .order_by()
    )
    for row in past:
        record = records[row["expert_id"]]
        record.ratings, record.rating_total = row["ratings"], row["total"] or 0
        record.response_seconds = row["response"]
    return records


def recommend_experts(demand: Demand, limit: int = 10) -> list[Recommendation]:
    """The experts best placed to serve `demand`, best first, each with its score and the reasons for it."""
    village = demand.village
    ancestors = village.ancestor_codes()  # province, city, county, township
    same, related = specialty_family(demand.specialty)
    paired = pairings_in_force(village)
    reach = Expert.objects.filter(is_active=True).filter(Q(home_area__code__in=ancestors) | Q(pk__in=list(paired)))
    ranked = reach.annotate(match=specialty_match(same, related))
    if paired:
        flag = Case(When(pk__in=list(paired), then=Value(1)), default=Value(0), output_field=IntegerField())
        ranked = ranked.annotate(paired=flag).filter(Q(match__gt=0) | Q(paired=1)).order_by("-paired", "-match", "pk")
    else:
        # Without pairings the flag would be the constant 0, which PostgreSQL reads as `ORDER BY 0`, a column number.
        ranked = ranked.filter(match__gt=0).order_by("-match", "pk")
    candidate_ids = list(ranked.values_list("pk", flat=True)[:CANDIDATE_LIMIT])
    if not candidate_ids:
        return []
    columns = ("pk", "name", "expertise_tokens", "home_area__code", *(f"record__{f}" for f in RECORD_COLUMNS))
    experts = [Candidate(*row) for row in Expert.objects.filter(pk__in=candidate_ids).values_list(*columns)]
    specialties: dict[int, set[int]] = {}
    through = Expert.specialties.through.objects.filter(expert_id__in=candidate_ids)
    for expert_id, specialty_id in through.values_list("expert_id", "specialty_id"):
        specialties.setdefault(expert_id, set()).add(specialty_id)
    text = bm25_scores(
        tokens(f"{demand.title} {demand.description}"),
        {expert.pk: expert.expertise_tokens.split() for expert in experts},
    )
    best_text = max(text.values(), default=0.0) or 1.0
    province_code, city_code, county_code = ancestors[0], ancestors[1], ancestors[2]
    scored = []
    for expert in experts:
        score, reasons = 0.0, []
        owned = specialties.get(expert.pk, set())
        if owned & same:
            score += WEIGHTS["specialty"]
            reasons.append((REASONS["same"], None))
        elif owned & related:
            score += WEIGHTS["specialty"] * 0.5
            reasons.append((REASONS["related"], None))
        matched = text.get(expert.pk, 0.0) / best_text
        if matched > 0:
            score += WEIGHTS["text"] * matched
            reasons.append((REASONS["text"], {"percent": round(matched * 100)}))
        selected_by = {county_code: "county", city_code: "city", province_code: "province"}.get(expert.home)
        if expert.pk in paired:
            score += PROXIMITY["paired"]
            reasons.append((REASONS["paired"], {"year": paired[expert.pk]}))
        elif selected_by is not None:
            score += PROXIMITY[selected_by]
            reasons.append((REASONS[selected_by], None))
        if expert.workload:
            score -= min(expert.workload * WORKLOAD_PENALTY, WORKLOAD_CAP)
            reasons.append((REASONS["workload"], {"count": expert.workload}))
        if expert.mean_rating is not None:
            score += (expert.mean_rating - 3) / 4
            reasons.append((REASONS["rating"], {"rating": expert.mean_rating}))
        if expert.response is not None:
            hours = expert.response / 3600
            score += 0.5 * max(0.0, 1 - hours / RESPONSE_HORIZON_HOURS)
            reasons.append((REASONS["response"], {"hours": hours}))
        scored.append((round(score, 3), expert, reasons))
    scored.sort(key=lambda item: (-item[0], item[1].name, item[1].pk))
    top = scored[:limit]
    # Only the few shown are loaded whole and have their reasons translated.
    loaded = Expert.objects.select_related("home_area").in_bulk([expert.pk for _, expert, _ in top])
    return [
        Recommendation(loaded[expert.pk], score, [str(text) % values if values else str(text) for text, values in why])
        for score, expert, why in top
    ]


def similar_demands(text: str, user, limit: int = 5) -> list[tuple[Demand, float]]:
    """Resolved demands the user may see that resemble `text`, best first, by BM25 over their stored words.

    The database first narrows to recent served demands containing one of the query's longest words (an indexed
    scan of at most SIMILAR_CANDIDATES rows, reading only their words); BM25 then ranks those exactly, and only the
    few shown are loaded whole.
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
        .order_by("-resolved_at")
        .values_list("pk", "search_tokens")[:SIMILAR_CANDIDATES]
    )
    scores = bm25_scores(query, {pk: words.split() for pk, words in candidates})
    best = sorted((pk for pk, _ in candidates if scores.get(pk, 0) > 0), key=lambda pk: (-scores[pk], -pk))[:limit]
    demands = Demand.objects.select_related("specialty", "village").in_bulk(best)
    return [(demands[pk], round(scores[pk], 3)) for pk in best]


__all__ = [
    "Median",
    "Recommendation",
    "pairings_in_force",
    "recommend_experts",
    "service_records",
    "similar_demands",
]
