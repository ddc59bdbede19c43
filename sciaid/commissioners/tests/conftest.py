"""Commissioners of the test world: experts made commissioners and paired with villages through the services."""

from datetime import date

import pytest

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.experts import services as experts
from sciaid.experts.models import Expert, Specialty

#: A year wholly in the past, so every date in it may be logged.
YEAR = date.today().year - 1


def on(month: int, day: int = 1) -> date:
    return date(YEAR, month, day)


@pytest.fixture
def make_commissioner(world):
    """make_commissioner("li", villages=["village_a1"]) → a county-A commissioner with a login, paired for YEAR."""

    def make(username: str, *, villages=("village_a1",), home: str = "county_a", level_area: str | None = None):
        if username == "expert":
            user = world.users["expert"]
        else:
            user = User.objects.create_user(username, password="pw")
            RoleGrant.objects.create(user=user, role=Role.EXPERT, area=world.areas[home])
        expert = Expert.objects.create(
            user=user,
            name=username,
            organisation="安徽农业大学",
            home_area=world.areas[level_area or home],
            level=experts.level_for(world.areas[level_area or home]),
            is_commissioner=True,
        )
        expert.specialties.add(Specialty.objects.get(code="river-crabs"))
        admin = world.users["county_admin" if home == "county_a" else "county_admin_b"]
        for village in villages:
            experts.pair_commissioner(admin, expert, world.areas[village], YEAR)
        return expert

    return make


@pytest.fixture
def commissioner(make_commissioner):
    """The world's "expert" persona as a commissioner paired with village A1."""
    return make_commissioner("expert")
