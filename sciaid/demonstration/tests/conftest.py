"""Fixtures of the demonstration tests: sites and their figures made through the services."""

from decimal import Decimal

import pytest

from sciaid.achievements import services as achievement_services
from sciaid.achievements.choices import AchievementKind, TransferMode
from sciaid.demonstration import services
from sciaid.demonstration.choices import OperatorKind
from sciaid.demonstration.tests.samples import FIGURES
from sciaid.experts.models import Expert, Specialty


@pytest.fixture
def published_achievement(world):
    user = world.county_admin
    item = achievement_services.save_achievement(
        user,
        title="河蟹生态养殖技术",
        kind=AchievementKind.TECHNIQUE,
        owner="淮南市水产技术推广站",
        area=world.county_a,
        transfer_modes=[TransferMode.FREE_EXTENSION],
        description="种草投螺、稀放精养。",
        industries=[Specialty.objects.get(code="river-crabs")],
    )
    achievement_services.submit_achievement(user, item)
    return achievement_services.publish_achievement(user, item)


@pytest.fixture
def commissioner(world):
    """The `expert` persona's profile, selected by the city: both counties may pair them with a site."""
    expert = Expert.objects.create(
        user=world.expert, name="王建国", organisation="淮南市水产技术推广站", home_area=world.city, phone="13905541234"
    )
    return expert


@pytest.fixture
def make_site(world):
    """make_site(village="village_a1", by="county_admin", publish=True, **fields) → a site through the services."""

    def make(village="village_a1", by="county_admin", publish=True, **fields):
        fields.setdefault("name", "寿县河蟹绿色养殖示范基地")
        fields.setdefault("operator_kind", OperatorKind.ENTERPRISE)
        fields.setdefault("operator_name", "寿县益丰生态农业有限公司")
        fields.setdefault("industry", Specialty.objects.get(code="river-crabs"))
        fields.setdefault("area_mu", Decimal("1200"))
        site = services.save_site(world.users[by], village=world.areas[village], **fields)
        return services.publish_site(world.users[by], site) if publish else site

    return make


@pytest.fixture
def figures():
    return dict(FIGURES)
