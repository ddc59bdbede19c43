"""Stored figures equal the live aggregates, as a property: whatever mix of ticks, walk-ins, sheets, un-ticks,
holds and ratings, in whatever order, every village's, township's and county's stored figures (sums of the stored
rows) equal the same figures counted straight from the sign-ins, events and ratings — while each person's key
belongs to one village, the rule `models.TrainingFigures` states."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciaid.regions.models import Area
from sciaid.training import services
from sciaid.training.choices import TOOK_PLACE
from sciaid.training.models import Attendance, Feedback, TrainingEvent
from sciaid.training.services.figures import SATISFIED_RATING, refresh_all_figures
from sciaid.training.statistics import area_statistics, satisfaction, trainer_statistics
from sciaid.training.tests.test_attendance_property import PEOPLE, presence, record

pytestmark = pytest.mark.django_db

AREAS = ("county_a", "township_a1", "township_a2", "village_a1", "village_a2", "village_a3")


def live_statistics(area: Area, year: int) -> dict:
    """The figures counted from the sign-ins, events and ratings themselves: the reference the stored ones meet."""
    within = {"gte": date(year, 1, 1), "lt": date(year + 1, 1, 1)}
    in_area = Q(area__code__range=area.subtree_bounds)
    attendances = Attendance.objects.filter(in_area, day__gte=within["gte"], day__lt=within["lt"])
    events = TrainingEvent.objects.filter(
        in_area, starts_on__gte=within["gte"], starts_on__lt=within["lt"], status__in=TOOK_PLACE
    )
    feedback = Feedback.objects.filter(in_area, event__starts_on__gte=within["gte"], event__starts_on__lt=within["lt"])
    people = attendances.aggregate(
        trainees=Count("registration", distinct=True),
        distinct_trainees=Count("registration__person_key", distinct=True),
        poor_household_trainees=Count(
            "registration__person_key", distinct=True, filter=Q(registration__household__isnull=False)
        ),
    )
    rated = feedback.aggregate(
        n=Count("pk"), total=Sum("rating"), satisfied=Count("pk", filter=Q(rating__gte=SATISFIED_RATING))
    )
    trainers = {}
    for event in events.prefetch_related("trainers"):
        trainees = Attendance.objects.filter(event=event).values("registration").distinct().count()
        ratings = list(Feedback.objects.filter(event=event).values_list("rating", flat=True))
        for expert in event.trainers.all():
            row = trainers.setdefault(expert.pk, [0, 0, []])
            row[0], row[1] = row[0] + 1, row[1] + trainees
            row[2] += ratings
    by_kind = {}
    for kind in {*events.values_list("kind", flat=True), *attendances.values_list("event__kind", flat=True)}:
        by_kind[kind] = (
            events.filter(kind=kind).count(),
            attendances.filter(event__kind=kind).values("registration").distinct().count(),
        )
    return {
        "events": events.count(),
        **people,
        "satisfaction": satisfaction(rated["n"], rated["total"] or 0, rated["satisfied"]),
        "by_kind": by_kind,
        "trainers": {
            expert: (n, trainees, satisfaction(len(ratings), sum(ratings), 0)["mean_rating"], len(ratings))
            for expert, (n, trainees, ratings) in trainers.items()
        },
    }


def stored_rows(area: Area, year: int) -> dict:
    """The page's figures (read from the stored rows) in the shape of `live_statistics`."""
    figures = area_statistics(area, year)
    return {
        **{key: figures[key] for key in ("events", "trainees", "distinct_trainees", "poor_household_trainees")},
        "satisfaction": figures["satisfaction"],
        "by_kind": {
            row["kind"]: (row["events"], row["trainees"])
            for row in figures["by_kind"]
            if row["events"] or row["trainees"]
        },
        "trainers": {
            row["expert"]: (row["events"], row["trainees"], row["mean_rating"], row["ratings"])
            for row in trainer_statistics(area, year)
        },
    }


def every_area(world) -> dict:
    return {key: stored_rows(world.areas[key], 2020) for key in AREAS}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(presence, min_size=1, max_size=10),
    untick=st.lists(st.integers(0, 30), max_size=3),
    held=st.sets(st.integers(0, 1)),
    ratings=st.lists(st.integers(1, 5), max_size=4),
)
def test_stored_figures_equal_the_live_ones(world, make_event, trainer, steps, untick, held, ratings):
    with transaction.atomic():
        events = [
            make_event(days=2, title="稻虾共作", trainers=[trainer]),
            make_event(area="township_a1", days=2, title="河蟹养殖", kind="leader"),
        ]
        record(world, events, steps)
        signed = list(Attendance.objects.order_by("pk"))
        for index in sorted({i % len(signed) for i in untick}):
            services.sign_out(world.county_admin, signed[index])
        for index in held:
            services.hold_event(world.county_admin, events[index])
        rateable = [a.registration for a in Attendance.objects.filter(event__status__in=TOOK_PLACE).distinct()]
        for registration, rating in zip(dict.fromkeys(rateable), ratings, strict=False):
            services.give_feedback(world.county_admin, registration, rating=rating)
        for key in AREAS:
            assert stored_rows(world.areas[key], 2020) == live_statistics(world.areas[key], 2020), key
        kept = every_area(world)
        refresh_all_figures()
        assert every_area(world) == kept
        transaction.set_rollback(True)


def test_every_person_of_the_sample_belongs_to_one_village():
    """The rule the property relies on: a guest's phone is given with one village in the samples."""
    villages: dict[str, set[str]] = {}
    for kind, _household, _name, _written, phone, village in PEOPLE:
        if kind == "guest":
            villages.setdefault(phone, set()).add(village)
    assert all(len(found) == 1 for found in villages.values())
