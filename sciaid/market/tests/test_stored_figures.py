"""The stored market figures equal the figures counted from the orders: after hand-made years, after any sequence of
order steps (a hypothesis property), after a product changes category, and once the refresh has repaired rows
changed behind the services' back."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciaid.core.states import TransitionRefused
from sciaid.market import services
from sciaid.market.models import BuyerFigures, MarketFigures, OrderLine, Product, SupplierFigures
from sciaid.market.services.tallies import computed_rows, stored_rows

pytestmark = pytest.mark.django_db


def areas(world) -> list:
    return [world.county_a, world.county_b, world.city, world.province]


def assert_stored_equals_live(world, year: int = 2020) -> None:
    assert stored_rows() == computed_rows()
    for area in areas(world):
        assert services.stored_figures(area, year) == services.live_figures(area, year), area.name


@pytest.fixture
def year(world, market, place):
    """Two counties' 2020: rice and eggs in March, eggs in April, a cancelled cart, honey of county B in May."""
    place({market.rice: 2, market.eggs: 3}, on=date(2020, 3, 5))
    place({market.eggs: 5}, on=date(2020, 4, 9))
    (cancelled,) = place({market.rice: 1}, on=date(2020, 4, 10))
    services.cancel_order(world.buyer, cancelled, reason="重复下单")
    place({market.honey_b: 2}, buyer=market.buyer_b, user=market.buyer_user_b, on=date(2020, 5, 1))
    services.save_beneficiary(world.county_admin, market.supplier, household=world.household_a1, share="25")


def test_the_stored_rows_of_a_year(world, market, year):
    eggs_march = MarketFigures.objects.get(county=world.county_a, year=2020, month=3, category="meat_eggs")
    assert (eggs_march.amount, eggs_march.quantity, eggs_march.orders) == (Decimal("120.00"), 3, 1)
    # The cancelled order was taken back: its month's rice row counts nothing.
    rice_april = MarketFigures.objects.get(county=world.county_a, year=2020, month=4, category="grain_oil")
    assert (rice_april.amount, rice_april.orders) == (Decimal("0.00"), 0)
    supplier = SupplierFigures.objects.filter(supplier=market.supplier).values_list("month", "amount", "orders")
    assert sorted(supplier) == [(3, Decimal("220.00"), 1), (4, Decimal("200.00"), 1)]
    assert BuyerFigures.objects.get(buyer=market.buyer, year=2020).amount == Decimal("420.00")
    assert_stored_equals_live(world)


def test_the_city_and_province_read_the_stored_rows_only(world, year, django_assert_num_queries):
    with django_assert_num_queries(6):  # totals, suppliers, months, categories, buyers, beneficiaries
        figures = services.market_figures(world.province, 2020)
    assert (figures["total"], figures["orders"]) == (Decimal("560.00"), 3)
    assert [(row["county_name"], row["month"]) for row in figures["by_county_month"]] == [
        ("凤台县", 5),
        ("寿县", 3),
        ("寿县", 4),
    ]
    assert figures["household_income"] == {"total": Decimal("105.00"), "households": 1}


def test_a_township_is_counted_from_its_orders(world, market, year):
    figures = services.market_figures(world.township_a1, 2020)  # the supplier is in 姚祠村 of 隐贤镇
    assert figures == services.live_figures(world.township_a1, 2020)
    assert figures["total"] == Decimal("420.00")
    assert services.market_figures(world.township_a2, 2020)["total"] == Decimal("0.00")


def test_a_line_keeps_the_category_it_was_ordered_under(world, market, place):
    place({market.rice: 2})
    services.save_product(
        world.applicant,
        instance=market.rice,
        name="富硒大米",
        category="other",
        unit="袋",
        price="50.00",
        stock=8,
    )
    assert OrderLine.objects.get().category == "grain_oil"
    assert [row["category"] for row in services.market_figures(world.county_a, 2020)["by_category"]] == ["grain_oil"]
    assert_stored_equals_live(world)


def test_the_refresh_repairs_rows_changed_behind_the_services(world, market, year, capsys):
    SupplierFigures.objects.filter(supplier=market.supplier, month=3).update(amount=Decimal("1.00"))
    BuyerFigures.objects.filter(buyer=market.buyer_b).delete()
    MarketFigures.objects.create(county=world.county_b, year=2019, month=1, category="other", amount=5, orders=1)
    assert stored_rows() != computed_rows()
    call_command("refresh_market_figures")
    assert "3 repaired" in capsys.readouterr().out
    assert_stored_equals_live(world)
    assert services.refresh_market_figures()["repaired"] == 0


# --- any sequence of steps -------------------------------------------------------------------------------------------

#: (step, order index or product, argument): what a random year of the market does.
STEPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("place"),
            st.sampled_from(["rice", "eggs", "rice+eggs", "honey_b"]),
            st.integers(min_value=1, max_value=6),
            st.integers(min_value=1, max_value=12),
        ),
        st.tuples(
            st.sampled_from(["cancel", "confirm", "ship", "receive", "dispute", "resolve", "pay", "reverse"]),
            st.integers(min_value=0, max_value=7),
        ),
        st.tuples(st.just("recategorise"), st.sampled_from(["rice", "eggs", "honey_b"])),
    ),
    max_size=12,
)


def run_step(world, market, orders: list, step: tuple) -> None:
    """One step through the services; a step the order's state refuses changes nothing, as in real use."""
    name = step[0]
    if name == "place":
        _, what, quantity, month = step
        if what == "honey_b":
            buyer, user, cart = market.buyer_b, market.buyer_user_b, {market.honey_b.pk: quantity}
        else:
            buyer, user = market.buyer, world.buyer
            cart = {getattr(market, part).pk: quantity for part in what.split("+")}
        orders.extend(services.place_order(user, buyer, cart, on=date(2020, month, 1)))
        return
    if name == "recategorise":  # as the county would correct it, without taking the product off sale
        product = Product.objects.get(pk=getattr(market, step[1]).pk)
        Product.objects.filter(pk=product.pk).update(category="other" if product.category != "other" else "aquatic")
        return
    if not orders:
        return
    order = type(orders[0]).objects.get(pk=orders[step[1] % len(orders)].pk)
    buyer_side = world.buyer if order.buyer_id == market.buyer.pk else market.buyer_user_b
    county = world.county_admin if order.buyer_id == market.buyer.pk else world.county_admin_b
    calls = {
        "cancel": lambda: services.cancel_order(buyer_side, order, reason="不要了"),
        "confirm": lambda: services.confirm_order(county, order),
        "ship": lambda: services.ship_order(county, order),
        "receive": lambda: services.receive_order(buyer_side, order),
        "dispute": lambda: services.dispute_order(buyer_side, order, reason="少了"),
        "resolve": lambda: services.resolve_dispute(county, order),
        "pay": lambda: services.record_payment(buyer_side, order, amount=order.total, paid_on=order.placed_on),
        "reverse": lambda: services.reverse_payment(county, order.payments.order_by("id").first(), reason="记错"),
    }
    if name == "reverse" and not order.payments.exists():
        return
    with contextlib.suppress(TransitionRefused, ValidationError):  # not possible in the order's state: no change
        calls[name]()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_stored_figures_equal_the_orders_after_any_sequence_of_steps(world, market, steps):
    with transaction.atomic():
        orders: list = []
        for step in steps:
            try:
                with transaction.atomic():
                    run_step(world, market, orders, step)
            except services.OutOfStock:
                pass  # the whole cart was refused, nothing written
        assert_stored_equals_live(world)
        transaction.set_rollback(True)
