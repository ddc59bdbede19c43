"""Attendance de-duplication as a property: whatever mix of ticks, walk-ins and paper-sheet imports records who came,
in whatever order, the figures are the same — each person once per event, once across events, poor-household
members among them — and they are exactly the people who came."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciaid.training import services
from sciaid.training.importers import RosterImporter
from sciaid.training.models import Attendance, TrainingEvent
from sciaid.training.services import Person
from sciaid.training.statistics import area_statistics
from sciaid.training.tests.conftest import DAY

pytestmark = pytest.mark.django_db

#: (kind, household key, name as ticked, name as written on the sheet, phone, village key)
PEOPLE = [
    ("household", "household_a1", "张三", "张 三", "", ""),
    ("household", "household_a1", "", "户主1", "", ""),
    ("household", "household_a3", "李四", "李四", "", ""),
    ("guest", "", "王五", "王五", "13905540001", "village_a1"),
    ("guest", "", "赵六", "赵 六", "13905540002", "village_a2"),
]
HEADER = "Full name,Household number,Phone,Village division code,Date\n"

#: One recorded presence: (how, event 0 or 1, person, day 0 or 1).
presence = st.tuples(
    st.sampled_from(["tick", "walk_in", "sheet"]),
    st.integers(0, 1),
    st.integers(0, len(PEOPLE) - 1),
    st.integers(0, 1),
)


def person(world, index: int) -> Person:
    kind, household, name, _written, phone, village = PEOPLE[index]
    return Person(
        kind,
        name,
        household=world.households.get(household),
        phone=phone,
        village=world.areas.get(village),
    )


def sheet_row(world, index: int, day) -> str:
    _kind, household, _name, written, phone, village = PEOPLE[index]
    number = world.households[household].number if household else ""
    code = world.areas[village].code if village else ""
    return f"{written},{number},{phone},{code},{day.isoformat()}\n"


def record(world, events, steps) -> None:
    """Apply the steps in order; consecutive sheet rows of one event form one imported file."""
    admin = world.county_admin
    sheets: dict[int, list[str]] = {}
    for how, event_index, index, offset in steps:
        event, day = events[event_index], DAY + timedelta(days=offset)
        if how == "sheet":
            sheets.setdefault(event_index, []).append(sheet_row(world, index, day))
            continue
        if how == "tick":
            registration, _ = services.register(admin, event, person(world, index))
            services.sign_in(world.info_officer if index in (0, 1, 3) else admin, registration, day)
        else:
            services.sign_in_walk_in(admin, event, person(world, index), day)
    for event_index, rows in sheets.items():
        upload = io.BytesIO((HEADER + "".join(rows)).encode())
        upload.name = "sheet.csv"
        report = RosterImporter(admin, events[event_index]).run(upload)
        assert report.ok, report.errors


def figures(events) -> tuple:
    per_event = tuple(TrainingEvent.objects.with_figures().get(pk=event.pk).trainees for event in events)
    county = area_statistics(events[0].area.parent.parent, DAY.year)
    presences = Attendance.objects.count()
    return per_event, county["trainees"], county["distinct_trainees"], county["poor_household_trainees"], presences


def figures_after(world, events, steps) -> tuple:
    with transaction.atomic():
        record(world, events, steps)
        found = figures(events)
        transaction.set_rollback(True)
    return found


@pytest.fixture
def two_courses(world, make_event):
    return [make_event(days=2, title="稻虾共作"), make_event(area="township_a1", days=2, title="河蟹养殖")]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(presence, min_size=1, max_size=12), data=st.data())
def test_any_order_of_ticks_walk_ins_and_sheets_gives_the_same_counts(world, two_courses, steps, data):
    shuffled = data.draw(st.permutations(steps))
    first = figures_after(world, two_courses, steps)
    assert figures_after(world, two_courses, shuffled) == first
    came = {(event, index) for _how, event, index, _day in steps}
    people = {index for _event, index in came}
    per_event = tuple(len({index for event, index in came if event == which}) for which in (0, 1))
    poor = {index for index in people if PEOPLE[index][0] == "household"}
    presences = len({(event, index, day) for _how, event, index, day in steps})
    assert first == (per_event, len(came), len(people), len(poor), presences)
