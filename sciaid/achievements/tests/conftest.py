"""Fixtures of the achievement tests: catalogue entries in any state, needs and transfers, made through the
services."""

from datetime import date
from decimal import Decimal

import pytest

from sciaid.achievements import services
from sciaid.achievements.choices import AchievementKind, RequesterKind, TransferMode
from sciaid.core.publishing import PublicationStatus
from sciaid.experts.models import Specialty

DAY = date(2020, 5, 22)


@pytest.fixture
def specialty(db):
    """specialty("river-crabs") → the node of the seeded specialty tree."""
    return lambda code: Specialty.objects.get(code=code)


@pytest.fixture
def make_achievement(world, specialty):
    """make_achievement(status, area_key="county_a", by="county_admin", **fields) → an entry brought to `status`."""

    def make(
        status=PublicationStatus.PUBLISHED,
        area_key="county_a",
        by="county_admin",
        industries=("river-crabs",),
        **fields,
    ):
        user = world.users[by]
        fields.setdefault("title", f"Entry {status} {area_key}")
        fields.setdefault("kind", AchievementKind.TECHNIQUE)
        fields.setdefault("owner", "安徽农业大学")
        fields.setdefault("transfer_modes", [TransferMode.LICENCE])
        fields.setdefault("description", "A technique.")
        fields.setdefault("contact", "王老师 13905540000")
        item = services.save_achievement(
            user, area=world.areas[area_key], industries=[specialty(code) for code in industries], **fields
        )
        if status == PublicationStatus.DRAFT:
            return item
        services.submit_achievement(user, item)
        if status == PublicationStatus.IN_REVIEW:
            return item
        services.publish_achievement(user, item, on=DAY)
        if status == PublicationStatus.WITHDRAWN:
            services.withdraw_achievement(user, item, "outdated")
        return item

    return make


@pytest.fixture
def make_need(world, specialty):
    def make(area_key="village_a1", by="county_admin", industry="river-crabs", **fields):
        fields.setdefault("title", "河蟹养殖成活率低")
        fields.setdefault("description", "河蟹蜕壳期死亡多，需要生态养殖技术。")
        fields.setdefault("requester_kind", RequesterKind.COOPERATIVE)
        return services.save_need(world.users[by], area=world.areas[area_key], industry=specialty(industry), **fields)

    return make


@pytest.fixture
def make_transfer(world):
    def make(achievement, area_key="village_a1", by="county_admin", **fields):
        fields.setdefault("recipient", "姚祠水产养殖专业合作社")
        fields.setdefault("mode", TransferMode.FREE_EXTENSION)
        fields.setdefault("contract_value", Decimal("0"))
        fields.setdefault("signed_on", date(2020, 3, 2))
        fields.setdefault("households_count", 10)
        return services.save_transfer(world.users[by], achievement=achievement, area=world.areas[area_key], **fields)

    return make
