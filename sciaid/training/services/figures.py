"""The stored training figures (`TrainingFigures`, `TrainingKindFigures`, `TrainerFigures`): recomputed for the
area-years a change touches, inside the change's transaction, or all at once after a bulk load.

A refresh is keyed by (area id, year) and recomputes everything stored under that key: the sign-ins and ratings of
the area's people, the events held at the area as a venue and their trainers. It first locks the key's
`TrainingFigures` row (created if missing; keys in sorted order, so two refreshes never wait for each other in a
circle) and only then counts: a second sign-in at the same village waits for the first transaction to commit and
then counts both, so no update is lost and neither raises. A change of many rows (a sign-in sheet) refreshes once, at
its end, inside `refreshing_once()`: its keys are then locked together in sorted order too, so two sheets touching
the same villages in different orders queue instead of deadlocking.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import reduce

from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from sciaid.core.portal import recount_all
from sciaid.regions.models import Area
from sciaid.regions.portal import count_again
from sciaid.training.choices import TOOK_PLACE
from sciaid.training.models import (
    Attendance,
    Feedback,
    TrainerFigures,
    TrainingEvent,
    TrainingFigures,
    TrainingKindFigures,
)

#: A rating of at least this counts as satisfied.
SATISFIED_RATING = 4

#: The portal's tally of trainings and trainees per county and year (`portal.entrance`), recounted from the stored
#: figures whenever they are.
PORTAL_TALLY = "training"
#: The stored people's figures of an area-year (TrainingFigures beside its key).
TRAINEE_FIELDS = ("distinct_trainees", "poor_household_trainees", "ratings", "rating_sum", "satisfied")

Key = tuple[int, int]

#: The keys waiting for the end of a `refreshing_once()` block; None outside one.
_pending: ContextVar[set[Key] | None] = ContextVar("training_figures_pending", default=None)


@contextmanager
def refreshing_once() -> Iterator[None]:
    """Collect the refreshes of the block and run them once, together, when it ends (nested blocks join the
    outermost). Used inside the block's transaction, so the figures commit with the changes."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set(set())
    try:
        yield
        keys = _pending.get()
    finally:
        _pending.reset(token)
    refresh_figures(keys)


def in_years(keys: Iterable[Key], area: str, day: str) -> Q:
    """Rows whose `area` is one of the keys' areas and whose `day` falls in that key's year."""
    return reduce(
        operator.or_,
        (Q(**{area: a, f"{day}__gte": date(y, 1, 1), f"{day}__lt": date(y + 1, 1, 1)}) for a, y in keys),
    )


def in_keys(keys: Iterable[Key]) -> Q:
    return reduce(operator.or_, (Q(area_id=area, year=year) for area, year in keys))


def purge(queryset: models.QuerySet) -> None:
    """Delete in one statement: figures are derived rows, so the audit's per-row delete signal has nothing to log
    (and would load every row of a full recompute)."""
    queryset._raw_delete(queryset.db)


def _grouped(queryset: models.QuerySet, day: str, *fields: str, **figures) -> models.QuerySet:
    return queryset.annotate(year=ExtractYear(day)).values(*fields, "year").annotate(**figures).order_by()


def trainee_rows(attendances: models.QuerySet, feedback: models.QuerySet) -> dict[Key, dict]:
    """{(area, year): distinct and poor-household trainees, ratings} of the people of each area."""
    rows: dict[Key, dict] = defaultdict(dict)
    people = _grouped(
        attendances,
        "day",
        "area_id",
        distinct_trainees=Count("registration__person_key", distinct=True),
        poor_household_trainees=Count(
            "registration__person_key", distinct=True, filter=Q(registration__household__isnull=False)
        ),
    )
    ratings = _grouped(
        feedback,
        "event__starts_on",
        "area_id",
        ratings=Count("pk"),
        rating_sum=Sum("rating"),
        satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_RATING)),
    )
    for row in [*people, *ratings]:
        key = (row.pop("area_id"), row.pop("year"))
        rows[key].update(row)
    return rows


def kind_rows(events: models.QuerySet, attendances: models.QuerySet) -> dict[tuple, dict]:
    """{(area, year, kind): events held at the area as venue, trainees of its people once per event}."""
    rows: dict[tuple, dict] = defaultdict(dict)
    for row in _grouped(events, "starts_on", "area_id", "kind", events=Count("pk")):
        rows[(row["area_id"], row["year"], row["kind"])]["events"] = row["events"]
    for row in _grouped(attendances, "day", "area_id", "event__kind", trainees=Count("registration", distinct=True)):
        rows[(row["area_id"], row["year"], row["event__kind"])]["trainees"] = row["trainees"]
    return rows


def trainer_rows(events: models.QuerySet) -> dict[tuple, dict]:
    """{(venue area, year, expert): events, trainees once per event, ratings} of the trainers of `events`."""
    rows: dict[tuple, dict] = defaultdict(dict)
    taught = _grouped(
        TrainingEvent.trainers.through.objects.filter(trainingevent__in=events),
        "trainingevent__starts_on",
        "trainingevent__area_id",
        "expert_id",
        events=Count("trainingevent"),
    )
    for row in taught:
        rows[(row["trainingevent__area_id"], row["year"], row["expert_id"])]["events"] = row["events"]
    per_trainer = ("event__area_id", "event__trainers")
    trainees = _grouped(
        Attendance.objects.filter(event__in=events, event__trainers__isnull=False),
        "event__starts_on",
        *per_trainer,
        trainees=Count("registration", distinct=True),
    )
    ratings = _grouped(
        Feedback.objects.filter(event__in=events, event__trainers__isnull=False),
        "event__starts_on",
        *per_trainer,
        ratings=Count("pk"),
        rating_sum=Sum("rating"),
    )
    for row in [*trainees, *ratings]:
        key = (row.pop("event__area_id"), row.pop("year"), row.pop("event__trainers"))
        rows[key].update(row)
    return rows


def _computed(keys: list[Key] | None) -> tuple[dict, dict, dict]:
    """The three tables' rows for `keys`, or for every area and year (None)."""
    attendances, feedback = Attendance.objects.all(), Feedback.objects.all()
    events = TrainingEvent.objects.filter(status__in=TOOK_PLACE)
    if keys is not None:
        attendances = attendances.filter(in_years(keys, "area_id", "day"))
        feedback = feedback.filter(in_years(keys, "area_id", "event__starts_on"))
        events = events.filter(in_years(keys, "area_id", "starts_on"))
    return trainee_rows(attendances, feedback), kind_rows(events, attendances), trainer_rows(events)


def _write_details(kinds: dict, trainers: dict) -> None:
    TrainingKindFigures.objects.bulk_create(
        [TrainingKindFigures(area_id=a, year=y, kind=k, **row) for (a, y, k), row in kinds.items()], batch_size=5000
    )
    TrainerFigures.objects.bulk_create(
        [TrainerFigures(area_id=a, year=y, expert_id=e, **row) for (a, y, e), row in trainers.items()],
        batch_size=5000,
    )


def refresh_figures(keys: Iterable[Key]) -> None:
    """Recompute the stored figures of these (area id, year) keys, under their rows' locks (see the module)."""
    pending = _pending.get()
    if pending is not None:
        pending.update(keys)
        return
    keys = sorted(set(keys))
    if not keys:
        return
    with transaction.atomic():
        TrainingFigures.objects.bulk_create(
            [TrainingFigures(area_id=area, year=year) for area, year in keys], ignore_conflicts=True
        )
        locked = TrainingFigures.objects.select_for_update().filter(in_keys(keys)).order_by("area_id", "year")
        anchors = {(row.area_id, row.year): row for row in locked}
        people, kinds, trainers = _computed(keys)
        for key, row in anchors.items():
            for field in TRAINEE_FIELDS:
                setattr(row, field, people.get(key, {}).get(field) or 0)
        TrainingFigures.objects.bulk_update(anchors.values(), TRAINEE_FIELDS)
        purge(TrainingKindFigures.objects.filter(in_keys(keys)))
        purge(TrainerFigures.objects.filter(in_keys(keys)))
        _write_details(kinds, trainers)
        codes = dict(Area.objects.filter(pk__in={area for area, _year in keys}).values_list("pk", "code"))
        count_again(PORTAL_TALLY, *((codes[area], year) for area, year in keys))  # the portal's figures


def refresh_all_figures() -> int:
    """Recompute every stored figure from the sign-ins, ratings and events: after a bulk load (COPY, a restore) that
    bypassed the services, while nothing else writes trainings. Returns the area-years written."""
    people, kinds, trainers = _computed(None)
    keys = set(people) | {key[:2] for key in kinds} | {key[:2] for key in trainers}
    with transaction.atomic():
        for model in (TrainingFigures, TrainingKindFigures, TrainerFigures):
            purge(model.objects.all())
        TrainingFigures.objects.bulk_create(
            [TrainingFigures(area_id=a, year=y, **people.get((a, y), {})) for a, y in keys], batch_size=5000
        )
        _write_details(kinds, trainers)
        recount_all([PORTAL_TALLY])  # the portal's figures
    return len(keys)


def event_keys(event: TrainingEvent) -> set[Key]:
    """The keys an event's own state counts under: its venue area in the year of its first day."""
    return {(event.area_id, event.starts_on.year)}


def attendance_keys(attendances: models.QuerySet) -> set[Key]:
    """The keys of the people's areas and years of these sign-ins."""
    return {(area, day.year) for area, day in attendances.values_list("area_id", "day").distinct()}
