"""Experts of the test world, made through the services as a county admin would."""

import pytest

from sciaid.experts import services
from sciaid.experts.models import Specialty


def spec(code: str) -> Specialty:
    return Specialty.objects.get(code=code)


@pytest.fixture
def make_expert(world):
    """make_expert("crab_a", home="county_a", by="county_admin", specialties=["river-crabs"], ...) → Expert, a
    commissioner unless is_commissioner=False."""

    def make(username: str, *, home: str = "county_a", by: str | None = None, specialties=("river-crabs",), **fields):
        area = world.areas[home]
        actor = world.users[
            by or ("admin" if area.level < 3 else "county_admin" if home == "county_a" else "county_admin_b")
        ]
        commissioner = fields.pop("is_commissioner", True)
        defaults = {"name": username, "organisation": "安徽农业大学", "phone": "13905540001"}
        expert = services.save_expert(
            actor,
            username=username,
            home_area=area,
            specialties=[spec(code) for code in specialties],
            **{**defaults, **fields},
        )
        # As an approved selection does: the profile itself cannot make a commissioner.
        return services.mark_commissioner(actor, expert, selected_by=area) if commissioner else expert

    return make
