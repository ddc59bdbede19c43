"""The need achievements makes of a handed-over demand (registered with sciaid.core.handoffs, so neither app imports
the other): its source recorded, one need per demand, offered only to who may record needs in the demand's area."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sciaid.achievements import services
from sciaid.achievements.models import TechnologyNeed
from sciaid.core.handoffs import Source, handoff
from sciaid.experts.models import Specialty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def source(world):
    return Source(
        pk=41,
        title="河蟹七月大量死亡",
        text="池塘河蟹最近死亡很多",
        area=world.village_a1,
        label="Demand no. 41: 河蟹七月大量死亡",
        industry=Specialty.objects.get(code="river-crabs"),
    )


def test_achievements_registers_the_technology_need_for_demands():
    registered = handoff("assistance.demand", "technology_need")
    assert registered is not None and registered.url_name == "achievements:need-detail"
    assert registered.make is services.need_from_source and registered.made_from is services.need_of_demand


def test_the_need_keeps_its_source(world, source):
    need = services.need_from_source(world.triage, source)
    assert (need.title, need.description, need.area, need.industry.code) == (
        source.title,
        source.text,
        world.village_a1,
        "river-crabs",
    )
    assert need.source_label == source.label and need.source_demand_id == 41
    assert services.need_of_demand(41) == need and services.need_of_demand(42) is None


def test_one_demand_makes_one_need(world, source):
    services.need_from_source(world.triage, source)
    with pytest.raises(ValidationError):
        services.need_from_source(world.county_admin, source)
    assert TechnologyNeed.objects.filter(source_demand_id=41).count() == 1


def test_only_who_records_needs_in_the_area_is_offered_it(world, source):
    assert services.may_record_need(world.triage, source) and services.may_record_need(world.county_admin, source)
    for persona in ("county_admin_b", "expert", "supervisor", "info_officer"):
        assert not services.may_record_need(world.users[persona], source), persona
    with pytest.raises(ValidationError):
        services.need_from_source(world.county_admin_b, source)
    assert not TechnologyNeed.objects.exists()
