"""Training figures: trainees once per event, distinct trainees once across events (by household member, phone or
expert), poor-household trainees, satisfaction, trainers' figures, and the figures of what events fulfil."""

from datetime import date

import pytest

from sciaid.experts.models import Expert, Pairing
from sciaid.training import fulfilment, services
from sciaid.training.choices import ParticipantKind, TrainingKind
from sciaid.training.services import Person
from sciaid.training.statistics import area_statistics, fulfilment_figures, latest_year, trainer_statistics
from sciaid.training.tests.conftest import DAY, guest

pytestmark = pytest.mark.django_db


def attend(world, event, person, day=None):
    attendance, _ = services.sign_in_walk_in(world.county_admin, event, person, day or event.starts_on)
    return attendance.registration


def test_a_person_counts_once_per_event_and_once_across_events(world, make_event, member):
    spring = make_event(days=2, title="春季培训")
    autumn = make_event(first=date(2020, 9, 8), title="秋季培训")
    for event in (spring, autumn):
        attend(world, event, member(name="张三"))
        attend(world, event, guest(world, phone="13905540001"))
    attend(world, spring, member(name="张 三"), date(2020, 5, 23))
    attend(world, autumn, member("household_a3", "李四"))
    for event in (spring, autumn):
        services.hold_event(world.county_admin, event)
    figures = area_statistics(world.county_a, 2020)
    assert (figures["events"], figures["trainees"], figures["distinct_trainees"]) == (2, 5, 3)
    assert figures["poor_household_trainees"] == 2
    by_kind = {row["kind"]: (row["events"], row["trainees"]) for row in figures["by_kind"]}
    assert by_kind[TrainingKind.PRACTICAL] == (2, 5) and by_kind[TrainingKind.ONLINE] == (0, 0)
    township = area_statistics(world.township_a2, 2020)
    assert (township["events"], township["distinct_trainees"]) == (0, 1), "李四 of 塘湾村 counts for 安丰镇"
    assert area_statistics(world.county_a, 2019)["trainees"] == 0


def test_expert_trainees_count_where_the_course_is_held(world, make_event, trainer):
    course = make_event(area="county_a", kind=TrainingKind.COMMISSIONER, days=3)
    registration, _ = services.register(world.county_admin, course, Person(ParticipantKind.EXPERT, expert=trainer))
    for day in course.days:
        services.sign_in(world.county_admin, registration, day)
    figures = area_statistics(world.county_a, 2020)
    assert (figures["trainees"], figures["distinct_trainees"], figures["poor_household_trainees"]) == (1, 1, 0)
    assert area_statistics(world.township_a1, 2020)["trainees"] == 0


def test_satisfaction_is_the_share_rated_four_or_five(world, make_event, member):
    event = make_event()
    ratings = [5, 4, 2]
    people = [member(name=f"村民{n}") for n in range(len(ratings))]
    registrations = [attend(world, event, person) for person in people]
    services.hold_event(world.county_admin, event)
    for registration, rating in zip(registrations, ratings, strict=True):
        services.give_feedback(world.info_officer, registration, rating=rating)
    satisfaction = area_statistics(world.county_a, 2020)["satisfaction"]
    assert (satisfaction["ratings"], str(satisfaction["mean_rating"]), str(satisfaction["satisfied_percent"])) == (
        3,
        "3.67",
        "66.7",
    )


def test_trainers_are_counted_with_their_events_trainees_and_ratings(world, make_event, member, trainer):
    helper = Expert.objects.create(
        user=world.triage, name="王助教", organisation="寿县农业技术推广中心", home_area=world.county_a
    )
    first = make_event(trainers=[trainer, helper])
    second = make_event(first=date(2020, 6, 2), trainers=[trainer])
    make_event(first=date(2020, 6, 9), trainers=[helper])  # published but not held: not counted
    rated = attend(world, first, member())
    attend(world, first, guest(world))
    attend(world, second, member())
    for event in (first, second):
        services.hold_event(world.county_admin, event)
    services.give_feedback(world.farmer, rated, rating=4)
    rows = {row["name"]: row for row in trainer_statistics(world.county_a, 2020)}
    assert (rows["李明华"]["events"], rows["李明华"]["trainees"], rows["李明华"]["ratings"]) == (2, 3, 1)
    assert (rows["王助教"]["events"], rows["王助教"]["trainees"], str(rows["王助教"]["mean_rating"])) == (1, 2, "4.00")
    assert list(rows) == ["李明华", "王助教"]


def test_what_events_fulfil_gets_their_figures_once(world, make_event, member, trainer, monkeypatch):
    monkeypatch.setitem(fulfilment._models, "experts.pairing", Pairing)
    pairing = Pairing.objects.create(expert=trainer, village=world.village_a1, year=2020)
    held = make_event(fulfils=pairing)
    planned = make_event(first=date(2020, 7, 1), fulfils=pairing)
    attend(world, held, member())
    attend(world, held, guest(world))
    attend(world, planned, member())
    services.hold_event(world.county_admin, held)
    assert fulfilment_figures(Pairing, [pairing.pk]) == {pairing.pk: {"events": 1, "trainees": 2}}


def test_pages_open_on_the_latest_year_with_trainings(world, make_event):
    assert latest_year(world.county_a) == date.today().year
    make_event(first=DAY)
    make_event(area="village_b1", first=date(2021, 3, 1))
    assert latest_year(world.county_a) == 2020
