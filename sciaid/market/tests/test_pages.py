"""The market pages per role: the public catalogue and its search, a buyer's cart to orders, steps, exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sciaid.market.choices import OrderStatus
from sciaid.market.models import Order
from sciaid.market.tests.conftest import DAY

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [product.name for product in response.context["object_list"]]


@pytest.mark.parametrize(("query", "found"), [("大米", ["富硒大米"]), ("fuxi", ["富硒大米"]), ("tjd", ["土鸡蛋"])])
def test_the_public_catalogue_searches_chinese_and_pinyin(client, market, query, found):
    assert names(client.get(reverse("market:catalogue"), {"q": query})) == found


def test_the_catalogue_filters_county_and_price(client, world, market):
    assert names(client.get(reverse("market:catalogue"), {"county": world.county_b.code})) == ["土蜂蜜"]
    assert sorted(names(client.get(reverse("market:catalogue"), {"price_max": "50"}))) == ["土鸡蛋", "富硒大米"]


def test_a_buyer_fills_the_cart_and_places_it(client_for, market):
    client = client_for("buyer")
    client.post(reverse("market:cart-add", args=[market.rice.pk]), {"quantity": 2})
    client.post(reverse("market:cart-add", args=[market.eggs.pk]), {"quantity": 1})
    page = client.get(reverse("market:cart"))
    assert "¥140.00" in page.content.decode()
    response = client.post(reverse("market:cart-place"), {"buyer": market.buyer.pk})
    assert response.status_code == 302
    assert Order.objects.get().total == 140


def test_a_sold_out_cart_stays_with_a_message(client_for, market):
    client = client_for("buyer")
    client.post(reverse("market:cart-add", args=[market.rice.pk]), {"quantity": 11})
    response = client.post(reverse("market:cart-place"), {"buyer": market.buyer.pk}, follow=True)
    assert "10" in response.content.decode() and not Order.objects.exists()


def test_the_cart_is_for_buyers(client_for, market):
    assert client_for("farmer").get(reverse("market:cart")).status_code == 403


def test_the_supplier_confirms_on_the_order_page(client_for, market, place):
    (order,) = place({market.rice: 1})
    page = client_for("applicant").get(reverse("market:order-detail", args=[order.pk]))
    assert b'id="do-confirm"' in page.content and b'id="do-receive"' not in page.content
    client_for("applicant").post(reverse("market:order-action", args=[order.pk, "confirm"]))
    assert Order.objects.get().status == OrderStatus.CONFIRMED


def test_the_order_list_keeps_its_queries_flat_and_exports(client_for, market, place, django_assert_max_num_queries):
    for _ in range(5):
        place({market.eggs: 1})
    client = client_for("county_admin")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("market:order-list")).status_code == 200
    response = client.get(reverse("market:order-list"), {"export": "xlsx"})
    rows = list(
        load_workbook(
            io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
        ).active.values
    )
    assert len(rows) == 6


def test_the_quota_table_exports(client_for, world, market, place):
    from sciaid.market import services

    services.set_quota(world.county_admin, market.buyer, year=2020, amount="400")
    place({market.rice: 2}, on=DAY)
    response = client_for("county_admin").get(reverse("market:quota-list"), {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert [str(value) for value in rows[1][1:]] == ["寿县人民医院", world.county_a.code, "400.00", "100.00", "25.0"]


def test_the_figures_page(client_for, world, market, place):
    place({market.rice: 2})
    page = client_for("county_admin").get(reverse("market:figures"), {"area": world.county_a.code, "year": 2020})
    assert page.status_code == 200 and "¥100.00" in page.content.decode()
