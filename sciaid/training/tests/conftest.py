"""Trainings of the test world, planned and run through the services as a county admin would."""

from datetime import date, timedelta

import pytest

from sciaid.experts.models import Expert, Specialty
from sciaid.training import services
from sciaid.training.choices import ParticipantKind, TrainingKind
from sciaid.training.services import Person

#: A past training day (2020's commissioner course began on May 22).
DAY = date(2020, 5, 22)
PDF = b"%PDF-1.4\n% handout\n"


@pytest.fixture
def trainer(world):
    """The world's "expert" persona as an expert of county A."""
    expert = Expert.objects.create(
        user=world.expert, name="李明华", organisation="安徽农业大学", home_area=world.county_a, is_commissioner=True
    )
    expert.specialties.add(Specialty.objects.get(code="river-crabs"))
    return expert


@pytest.fixture
def make_event(world):
    """make_event(area="village_a1", days=1, publish=True, …) → an event planned by the county's admin."""

    def make(area="village_a1", *, first=DAY, days=1, publish=True, by=None, trainers=(), **fields):
        by = by or ("county_admin_b" if area.endswith("b1") or area == "county_b" else "county_admin")
        event = services.save_event(
            world.users[by],
            kind=fields.pop("kind", TrainingKind.PRACTICAL),
            title=fields.pop("title", "稻虾共作技术培训"),
            organiser_name=fields.pop("organiser_name", "寿县科学技术局"),
            area=world.areas[area],
            starts_on=first,
            ends_on=first + timedelta(days=days - 1),
            trainers=trainers,
            **fields,
        )
        if publish:
            services.publish_event(world.users[by], event)
        return event

    return make


@pytest.fixture
def member(world):
    """member("household_a1", "张三") → a Person: a member of that household (empty name: the head)."""

    def make(household="household_a1", name=""):
        return Person(ParticipantKind.HOUSEHOLD, name, household=world.households[household])

    return make


def guest(world, phone="13905541234", name="王五", village="village_a1") -> Person:
    return Person(ParticipantKind.GUEST, name, phone=phone, village=world.areas[village])
