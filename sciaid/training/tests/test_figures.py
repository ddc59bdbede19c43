"""Stored training figures: kept by every service that changes what they count, read in a constant number of
queries, recomputed whole after a bulk load, and correct when two sign-ins at one village race (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from sciaid.training import services
from sciaid.training.choices import ParticipantKind, TrainingKind
from sciaid.training.models import Attendance, Registration, TrainerFigures, TrainingFigures, TrainingKindFigures
from sciaid.training.services import Person
from sciaid.training.services.figures import refresh_all_figures
from sciaid.training.statistics import area_statistics, trainer_statistics
from sciaid.training.tests.conftest import DAY, guest
from sciaid.training.tests.test_figures_property import live_statistics, stored_rows

pytestmark = pytest.mark.django_db


def attend(world, event, person, day=None):
    attendance, _ = services.sign_in_walk_in(world.county_admin, event, person, day or event.starts_on)
    return attendance


def test_each_service_keeps_the_stored_figures(world, make_event, member, trainer):
    event = make_event(trainers=[trainer])
    first = attend(world, event, member(name="张三"))
    attend(world, event, guest(world, village="village_a2"))
    assert area_statistics(world.county_a, 2020)["trainees"] == 2
    assert area_statistics(world.county_a, 2020)["events"] == 0, "not held yet"
    services.hold_event(world.county_admin, event)
    assert area_statistics(world.county_a, 2020)["events"] == 1
    assert trainer_statistics(world.county_a, 2020)[0]["trainees"] == 2
    services.sign_out(world.county_admin, Attendance.objects.get(pk=first.pk))
    figures = area_statistics(world.township_a1, 2020)
    assert (figures["trainees"], figures["distinct_trainees"], figures["poor_household_trainees"]) == (1, 1, 0)
    assert trainer_statistics(world.county_a, 2020)[0]["trainees"] == 1
    rated = attend(world, event, member(name="李四")).registration
    services.give_feedback(world.info_officer, rated, rating=5)
    services.report_event(world.county_admin, event)
    figures = area_statistics(world.county_a, 2020)
    assert (figures["satisfaction"]["ratings"], str(figures["satisfaction"]["satisfied_percent"])) == (1, "100.0")
    assert trainer_statistics(world.county_a, 2020)[0]["ratings"] == 1
    assert live_statistics(world.county_a, 2020) == stored_rows(world.county_a, 2020)


def test_changing_the_kind_of_a_running_event_moves_its_trainees(world, make_event, member):
    event = make_event()
    attend(world, event, member())
    services.save_event(
        world.county_admin,
        instance=event,
        kind=TrainingKind.LEADER,
        title=event.title,
        organiser_name=event.organiser_name,
        area=event.area,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )
    by_kind = {row["kind"]: row["trainees"] for row in area_statistics(world.county_a, 2020)["by_kind"]}
    assert (by_kind[TrainingKind.PRACTICAL], by_kind[TrainingKind.LEADER]) == (0, 1)


def test_the_statistics_read_a_constant_number_of_queries(
    world, make_event, member, trainer, django_assert_max_num_queries
):
    for n, area in enumerate(["village_a1", "village_a2", "village_a3", "township_a1", "county_a"]):
        event = make_event(area=area, first=date(2020, 5, n + 1), trainers=[trainer])
        attend(world, event, member(name=f"村民{n}"))
        attend(world, event, guest(world, phone=f"1390554000{n}", village="village_a3"))
        services.hold_event(world.county_admin, event)
    with django_assert_max_num_queries(2):
        figures = area_statistics(world.county_a, 2020)
    with django_assert_max_num_queries(1):
        trainers = trainer_statistics(world.county_a, 2020)
    assert (figures["events"], figures["trainees"], trainers[0]["events"]) == (5, 10, 5)


def test_a_full_recompute_gives_the_figures_the_services_kept(world, make_event, member, trainer):
    spring = make_event(trainers=[trainer], days=2)
    autumn = make_event(area="township_a2", first=date(2020, 9, 8), kind=TrainingKind.DEMONSTRATION)
    for event in (spring, autumn):
        rated = attend(world, event, member(name="张三")).registration
        attend(world, event, guest(world))
        services.hold_event(world.county_admin, event)
        services.give_feedback(world.info_officer, rated, rating=3)
    kept = [stored_rows(area, 2020) for area in (world.county_a, world.township_a1, world.village_a1)]
    counts = [model.objects.count() for model in (TrainingFigures, TrainingKindFigures, TrainerFigures)]
    assert refresh_all_figures() == TrainingFigures.objects.count()
    assert [stored_rows(area, 2020) for area in (world.county_a, world.township_a1, world.village_a1)] == kept
    assert [model.objects.count() for model in (TrainingFigures, TrainingKindFigures, TrainerFigures)] == counts


def test_a_person_signed_in_from_two_villages_counts_in_each(world, make_event):
    """The documented limit of summing villages: one phone given in two villages is a person of each."""
    event = make_event()
    attend(world, event, guest(world, phone="13905540001", village="village_a1"))
    other = make_event(first=date(2020, 6, 1))
    attend(world, other, guest(world, phone="13905540001", village="village_a2"))
    assert area_statistics(world.village_a1, 2020)["distinct_trainees"] == 1
    assert area_statistics(world.village_a2, 2020)["distinct_trainees"] == 1
    assert area_statistics(world.township_a1, 2020)["distinct_trainees"] == 2
    assert live_statistics(world.township_a1, 2020)["distinct_trainees"] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sign_ins_at_one_village_at_once_lose_nothing(world, make_event, member):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections with row locks: run with DATABASE_URL on PostgreSQL")
    events = [make_event(title="上午班"), make_event(title="下午班")]
    people = [member(name="张三"), member(name="李四")]
    registrations = [
        services.register(world.county_admin, event, person)[0] for event, person in zip(events, people, strict=True)
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(registration):
        try:
            barrier.wait()
            services.sign_in(world.info_officer, Registration.objects.get(pk=registration.pk), DAY)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(registration,)) for registration in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    figures = area_statistics(world.village_a1, 2020)
    assert (figures["trainees"], figures["distinct_trainees"]) == (2, 2)
    assert TrainingFigures.objects.filter(area=world.village_a1, year=2020).count() == 1
    assert live_statistics(world.village_a1, 2020) == stored_rows(world.village_a1, 2020)


def test_expert_trainees_count_in_the_courses_area(world, make_event, trainer):
    course = make_event(area="county_a", kind=TrainingKind.COMMISSIONER)
    registration, _ = services.register(world.county_admin, course, Person(ParticipantKind.EXPERT, expert=trainer))
    services.sign_in(world.county_admin, registration, DAY)
    assert TrainingFigures.objects.get(area=world.county_a, year=2020).distinct_trainees == 1
    assert stored_rows(world.county_a, 2020) == live_statistics(world.county_a, 2020)
