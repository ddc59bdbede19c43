"""The market benchmark at a tiny size: suppliers, products and buyers load once under their marker, the catalogue
search finds the generated products, and concurrent buyers never oversell the hot products (PostgreSQL only: the
generator loads with COPY, and the buyers need connections of their own, so the data must be committed)."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.generate import ensure_dataset, loaded_plan, remove_generated
from bench.market import HOT_PRODUCTS, HOT_STOCK, MarketPlan, ensure_market, measure_market, queries, remove_market
from bench.test_bench_smoke import TINY
from sciaid.market.filters import CatalogueFilter
from sciaid.market.models import Buyer, Order, Product

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generator loads data with COPY"),
]


@pytest.fixture
def committed_province():
    """The marker tables outlive a transactional test's flush: start from none and leave none behind, so no test
    believes a flushed province is still loaded."""
    loaded_plan()  # makes the province's marker table when missing
    remove_market()
    remove_generated()
    yield ensure_dataset(TINY, log=lambda line: None)
    remove_market()
    remove_generated()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_province")
def test_it_loads_the_market_once_and_measures_search_and_placement():
    plan = MarketPlan(products=600, orders_per_buyer=6)
    seconds, generated = ensure_market(plan, TINY.key, log=lambda line: None)
    assert generated and not ensure_market(plan, TINY.key, log=lambda line: None)[1]
    assert Product.objects.on_sale().count() == plan.products
    assert Buyer.objects.filter(members__isnull=False).count() == 20
    assert CatalogueFilter(queries()[0][1], queryset=Product.objects.on_sale()).qs.exists()

    rows = measure_market(seconds, generated, plan, repeat=2)
    labels = [row.measurement for row in rows]
    assert labels[1:-1] == [f"market catalogue search (public): {kind}" for kind, _params in queries()]
    assert all(row.p50 and row.baseline for row in rows[1:-1])
    placement = rows[-1]
    assert placement.rate and "none oversold" in placement.note, placement.note
    assert not Order.objects.exists(), "the measured orders are removed"
    hot = Product.objects.order_by("pk")[:HOT_PRODUCTS]
    assert {product.stock for product in hot} == {HOT_STOCK}, "and the stock restored"
