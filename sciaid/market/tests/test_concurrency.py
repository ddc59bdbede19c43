"""Stock is never oversold: buyers ordering the last units at the same moment, each on its own PostgreSQL connection,
succeed exactly as many times as there are units; the others get OutOfStock with nothing written. The stored figures
they all add to lose no count."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sciaid.market import services
from sciaid.market.models import BuyerFigures, MarketFigures, Order, Product, SupplierFigures
from sciaid.market.services.tallies import computed_rows, stored_rows
from sciaid.market.tests.conftest import DAY
from sciaid.testing import at_once

BUYERS = 6
UNITS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_orders_for_the_last_units_sell_exactly_the_stock(world, market):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")
    Product.objects.filter(pk=market.rice.pk).update(stock=UNITS)

    def buy() -> str:
        try:
            services.place_order(world.buyer, market.buyer, {market.rice.pk: 1, market.eggs.pk: 1}, on=DAY)
        except services.OutOfStock as refused:
            return f"refused:{refused.left}"
        return "ok"

    outcomes = at_once(*[buy] * BUYERS)
    assert sorted(outcomes) == ["ok"] * UNITS + ["refused:0"] * (BUYERS - UNITS)
    assert Product.objects.get(pk=market.rice.pk).stock == 0
    # The refused carts took nothing of the other product either.
    assert Product.objects.get(pk=market.eggs.pk).stock == 100 - UNITS
    assert Order.objects.count() == UNITS


PLACERS = 8
CARTS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_orders_and_cancellations_lose_no_count_in_the_stored_figures(world, market):
    """Eight buyers' threads place carts of eggs into the same stored rows at the same moment while the first
    orders are cancelled: every row ends exactly as the orders say."""
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")
    (first,) = services.place_order(world.buyer, market.buyer, {market.eggs.pk: 1}, on=DAY)
    barrier = threading.Barrier(PLACERS + 1)
    errors: list[str] = []

    def place() -> None:
        try:
            barrier.wait()
            for _ in range(CARTS):
                services.place_order(world.buyer, market.buyer, {market.eggs.pk: 1, market.rice.pk: 1}, on=DAY)
        except BaseException as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    def cancel() -> None:
        try:
            barrier.wait()
            services.cancel_order(world.buyer, Order.objects.get(pk=first.pk), reason="重复")
        except BaseException as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    Product.objects.filter(pk=market.rice.pk).update(stock=PLACERS * CARTS)
    threads = [threading.Thread(target=place) for _ in range(PLACERS)] + [threading.Thread(target=cancel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    placed = PLACERS * CARTS
    eggs = MarketFigures.objects.get(county=world.county_a, year=DAY.year, month=DAY.month, category="meat_eggs")
    assert (eggs.orders, eggs.quantity, eggs.amount) == (placed, placed, placed * market.eggs.price)
    assert BuyerFigures.objects.get(buyer=market.buyer, year=DAY.year).orders == placed
    assert SupplierFigures.objects.get(supplier=market.supplier).amount == placed * (market.eggs.price + 50)
    assert stored_rows() == computed_rows()
