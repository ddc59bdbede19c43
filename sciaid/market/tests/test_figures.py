"""The market figures on a hand-computed year: two buyers' carts, one cancelled order, a quota, a shared supplier."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from sciaid.core.models import Notification
from sciaid.market import services
from sciaid.market.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world, market, place):
    """寿县 2020: rice 2×50 + eggs 3×40 in March (220), eggs 5×40 in April (200), one cancelled cart (rice 1×50);
    凤台 2020: honey 2×70 (140). Household A1 gets 25 % of the supplier's sales."""
    place({market.rice: 2, market.eggs: 3}, on=date(2020, 3, 5))
    place({market.eggs: 5}, on=date(2020, 4, 9))
    (cancelled,) = place({market.rice: 1}, on=date(2020, 4, 10))
    services.cancel_order(world.buyer, cancelled, reason="重复下单")
    place({market.honey_b: 2}, buyer=market.buyer_b, user=market.buyer_user_b, on=date(2020, 5, 1))
    services.set_quota(world.county_admin, market.buyer, year=2020, amount="1000")
    services.save_beneficiary(world.county_admin, market.supplier, household=world.household_a1, share="25")


def test_the_county_year_figures(world, year):
    figures = services.market_figures(world.county_a, 2020)
    assert (figures["total"], figures["orders"]) == (Decimal("420.00"), 2)
    assert figures["by_buyer"] == [
        {
            "buyer": figures["by_buyer"][0]["buyer"],
            "name": "寿县人民医院",
            "purchased": Decimal("420.00"),
            "quota": Decimal("1000.00"),
            "percent": Decimal("42.0"),
        }
    ]
    assert [(r["name"], r["total"], r["orders"]) for r in figures["by_supplier"]] == [
        ("姚祠村合作社", Decimal("420.00"), 2)
    ]
    assert [(r["county_name"], r["month"], r["total"]) for r in figures["by_county_month"]] == [
        ("寿县", 3, Decimal("220.00")),
        ("寿县", 4, Decimal("200.00")),
    ]
    assert [(r["category"], r["total"]) for r in figures["by_category"]] == [
        ("meat_eggs", Decimal("320.00")),
        ("grain_oil", Decimal("100.00")),
    ]
    assert figures["household_income"] == {"total": Decimal("105.00"), "households": 1}


def test_the_city_adds_up_both_counties(world, year):
    figures = services.market_figures(world.city, 2020)
    assert figures["total"] == Decimal("560.00")
    assert services.market_figures(world.county_a, 2019)["total"] == Decimal("0.00")


def test_quota_progress(world, market, year):
    quota = services.with_progress(market.buyer.quotas.all()).get()
    assert (quota.amount, quota.purchased) == (Decimal("1000.00"), Decimal("420.00"))


def test_expiry_alerts_go_out_once_30_days_before(world, market):
    today = timezone.localdate()
    Certificate.objects.filter(supplier=market.supplier).update(valid_until=today.replace(year=today.year + 1))
    assert services.send_expiry_alerts(today) == 0
    Certificate.objects.filter(supplier=market.supplier).update(
        valid_until=today + (date(2020, 1, 31) - date(2020, 1, 1))
    )
    assert services.send_expiry_alerts(today) == 1
    assert services.send_expiry_alerts(today) == 0
    told = set(
        Notification.objects.filter(kind="market.certificate_expiring").values_list("recipient__username", flat=True)
    )
    assert told == {"applicant", "county_admin"}
