"""The market API per role: placing carts (201, 409 with the stock left, 400 for bad input), transitions, reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sciaid.market import services
from sciaid.market.models import Order

pytestmark = pytest.mark.django_db


def cart(market, *lines, buyer=None):
    return {"buyer": (buyer or market.buyer).pk, "lines": [{"product": p.pk, "quantity": n} for p, n in lines]}


def test_a_buyer_places_a_cart_and_gets_one_order_per_supplier(api_for, market):
    response = api_for("buyer").post(
        reverse("order-list"), cart(market, (market.rice, 2), (market.eggs, 1)), format="json"
    )
    assert response.status_code == 201, response.content
    (order,) = response.json()
    assert (order["total"], [line["price"] for line in order["lines"]]) == ("140.00", ["50.00", "40.00"])


def test_more_than_the_stock_is_a_409_with_the_stock_left(api_for, market):
    response = api_for("buyer").post(reverse("order-list"), cart(market, (market.rice, 11)), format="json")
    assert response.status_code == 409
    assert response.json() | {"detail": ""} == {
        "detail": "",
        "code": "out_of_stock",
        "product": market.rice.pk,
        "stock": 10,
    }
    assert not Order.objects.exists()


@pytest.mark.parametrize("quantity", [0, -3])
def test_a_quantity_below_one_is_a_400(api_for, market, quantity):
    response = api_for("buyer").post(reverse("order-list"), cart(market, (market.rice, quantity)), format="json")
    assert response.status_code == 400
    assert "quantity" in response.json()


def test_another_countys_buyer_is_refused_by_a_county_only_supplier(api_for, market):
    response = api_for("buyer").post(reverse("order-list"), cart(market, (market.honey_b, 1)), format="json")
    assert response.status_code == 400
    assert "lines" in response.json()


@pytest.mark.parametrize("price", ["0", "-1"])
def test_a_price_not_above_zero_is_a_400(api_for, market, price):
    body = {
        "supplier": market.supplier.pk,
        "name": "新品",
        "category": "grain_oil",
        "unit": "袋",
        "price": price,
        "stock": 1,
    }
    response = api_for("applicant").post(reverse("product-list"), body, format="json")
    assert response.status_code == 400
    assert "price" in response.json()


def test_cancelling_a_shipped_order_is_a_409(api_for, world, market, place):
    (order,) = place({market.rice: 1})
    api = api_for("applicant")
    assert api.post(reverse("order-confirm", args=[order.pk])).status_code == 200
    assert api.post(reverse("order-ship", args=[order.pk])).json()["status"] == "shipped"
    response = api_for("buyer").post(reverse("order-cancel", args=[order.pk]), {"reason": "不要了"}, format="json")
    assert response.status_code == 409


def test_a_buyer_sees_products_on_sale_in_the_province_only(api_for, world, market):
    pending = services.save_product(
        world.applicant, market.supplier, name="待审产品", category="other", unit="件", price="9", stock=1
    )
    listed = {row["id"] for row in api_for("buyer").get(reverse("product-list")).json()["results"]}
    assert {market.rice.pk, market.eggs.pk, market.honey_b.pk} <= listed
    assert pending.pk not in listed


def test_a_supplier_sees_its_own_orders_only(api_for, world, market, place):
    place({market.rice: 1})
    place({market.honey_b: 1}, buyer=market.buyer_b, user=market.buyer_user_b)
    seen = api_for("applicant").get(reverse("order-list")).json()["results"]
    assert [row["supplier"] for row in seen] == [market.supplier.pk]
    assert api_for("farmer").get(reverse("order-list")).json()["results"] == []


def test_the_county_approves_a_certificate_and_the_supplier_cannot(api_for, world, market):
    body = {
        "supplier": market.supplier.pk,
        "number": "N2",
        "issuer": "局",
        "valid_from": "2020-01-01",
        "valid_until": "2030-01-01",
    }
    created = api_for("applicant").post(reverse("certificate-list"), body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api_for("applicant").post(reverse("certificate-approve", args=[pk]), {}, format="json").status_code == 409
    assert (
        api_for("county_admin").post(reverse("certificate-approve", args=[pk]), {}, format="json").json()["status"]
        == "approved"
    )


def test_the_market_report(api_for, world, market, place):
    place({market.rice: 2})
    response = api_for("county_admin").get(reverse("report-market"), {"area": world.county_a.code, "year": 2020})
    assert response.status_code == 200
    assert (response.json()["total"], response.json()["orders"]) == ("100.00", 1)
    assert api_for("buyer").get(reverse("report-market")).status_code == 403
    assert api_for("county_admin").get(reverse("report-market"), {"area": world.county_b.code}).status_code == 404
