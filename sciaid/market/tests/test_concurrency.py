"""Stock is never oversold: buyers ordering the last units at the same moment, each on its own PostgreSQL connection,
succeed exactly as many times as there are units; the others get OutOfStock with nothing written."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sciaid.market import services
from sciaid.market.models import Order, Product
from sciaid.market.tests.conftest import DAY

BUYERS = 6
UNITS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_orders_for_the_last_units_sell_exactly_the_stock(world, market):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")
    Product.objects.filter(pk=market.rice.pk).update(stock=UNITS)
    barrier = threading.Barrier(BUYERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            services.place_order(world.buyer, market.buyer, {market.rice.pk: 1, market.eggs.pk: 1}, on=DAY)
            result = "ok"
        except services.OutOfStock as refused:
            result = f"refused:{refused.left}"
        except BaseException as error:
            result = repr(error)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * UNITS + ["refused:0"] * (BUYERS - UNITS)
    assert Product.objects.get(pk=market.rice.pk).stock == 0
    # The refused carts took nothing of the other product either.
    assert Product.objects.get(pk=market.eggs.pk).stock == 100 - UNITS
    assert Order.objects.count() == UNITS
