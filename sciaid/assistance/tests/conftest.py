"""Experts for the assistance tests: the world's expert and three more, with specialties and expertise that make
the right routing of a river-crab demand in village A1 known by hand."""

from __future__ import annotations

import pytest

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance import services
from sciaid.core.roles import Role
from sciaid.core.text import joined_tokens
from sciaid.experts.models import Expert, Specialty

#: username → (home area key, level, specialty code, expertise)
EXPERTS = {
    "expert": ("county_a", "county", "river-crabs", "河蟹养殖 水质调控 蟹病防治 河蟹苗种"),
    "expert_fruit": ("county_a", "county", "fruit-trees", "果树修剪 嫁接 病虫害防治"),
    "expert_city": ("city", "city", "aquaculture", "水产养殖 鱼病防治 池塘管理"),
    "expert_b": ("county_b", "county", "river-crabs", "河蟹养殖 蟹病防治"),
}


def make_expert(world, username: str) -> Expert:
    area_key, level, specialty, expertise = EXPERTS[username]
    user = world.users.get(username)
    if user is None:
        user = User.objects.create_user(username, password="pw", email=f"{username}@example.cn")
        RoleGrant.objects.create(user=user, role=Role.EXPERT, area=world.areas[area_key])
        world.users[username] = user
    expert = Expert.objects.create(
        user=user,
        name=f"Expert {username}",
        organisation="Institute",
        level=level,
        home_area=world.areas[area_key],
        expertise=expertise,
        expertise_tokens=joined_tokens(expertise),
    )
    expert.specialties.add(Specialty.objects.get(code=specialty))
    return expert


@pytest.fixture
def experts(world) -> dict[str, Expert]:
    return {username: make_expert(world, username) for username in EXPERTS}


@pytest.fixture
def crabs() -> Specialty:
    return Specialty.objects.get(code="river-crabs")


@pytest.fixture
def submit(world, crabs):
    """submit(title=...) → a demand of village A1 submitted by its info officer through the service."""

    def make(**fields):
        values = {
            "title": "河蟹七月大量死亡",
            "description": "池塘河蟹最近死亡很多，水质发绿，怎么办",
            "specialty": crabs,
            "village": world.village_a1,
            **fields,
        }
        return services.submit_demand(world.info_officer, **values)

    return make
