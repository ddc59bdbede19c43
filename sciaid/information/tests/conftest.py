"""Fixtures of the information tests: items made through the services, in any state, and a price catalogue."""

from datetime import date
from decimal import Decimal

import pytest

from sciaid.core.publishing import PublicationStatus
from sciaid.information import services
from sciaid.information.choices import NewsCategory
from sciaid.information.models import Product

DAY = date(2020, 5, 22)
PDF = b"%PDF-1.4\n% notice form\n"


@pytest.fixture
def make_item(world):
    """make_item(status, area_key="county_a", by="county_admin", **fields) → an item brought to `status`."""

    def make(status=PublicationStatus.PUBLISHED, area_key="county_a", by="county_admin", **fields):
        user = world.users[by]
        fields.setdefault("title", f"Notice {status} {area_key}")
        fields.setdefault("category", NewsCategory.NOTICE)
        fields.setdefault("body", "<p>Spring ploughing starts on Monday.</p>")
        item = services.save_item(user, area=world.areas[area_key], **fields)
        if status == PublicationStatus.DRAFT:
            return item
        services.submit_item(user, item)
        if status == PublicationStatus.IN_REVIEW:
            return item
        services.publish_item(user, item, on=DAY)
        if status == PublicationStatus.WITHDRAWN:
            services.withdraw_item(user, item, "outdated")
        return item

    return make


@pytest.fixture
def rice(db):
    return Product.objects.create(name="水稻", unit="元/公斤")


@pytest.fixture
def market_a(world):
    return services.save_market(world.county_admin, name="寿县城区农贸市场", area=world.areas["township_a1"])


@pytest.fixture
def market_b(world):
    return services.save_market(world.county_admin_b, name="凤台县农贸市场", area=world.areas["county_b"])


@pytest.fixture
def price(world, rice, market_a):
    def make(day=DAY, value="2.60", market=None, product=None):
        row, _created = services.record_price(
            world.county_admin, product=product or rice, market=market or market_a, day=day, price=Decimal(value)
        )
        return row

    return make
