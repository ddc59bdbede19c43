"""Keeping the stored market figures (`MarketFigures`, `SupplierFigures`, `BuyerFigures`) equal to the orders.

An order counts as a purchase from the moment it is placed until it is cancelled (`PURCHASE_STATES`; no other step
moves an order in or out of them), so the order services call `tally(…, +1)` when they place orders and
`tally(…, -1)` when they cancel one, in the same transaction. Each stored row is changed by one conditional
`UPDATE … SET amount = amount + x` (created first with `INSERT … ON CONFLICT DO NOTHING` when missing): PostgreSQL
serialises two increments of the same row, and the second adds to what the first committed, so no count is lost.
The rows are changed in one order (table, then key) after the products' stock, as every order service does, so two
transactions never wait for each other in a circle.

`refresh_market_figures()` (`manage.py refresh_market_figures`, the demo after seeding, nightly) recomputes every row
from the orders and says how many it corrected: rows changed outside the services (a restore, a bulk load) drift,
and this is the repair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, Substr

from sciaid.market.choices import PURCHASE_STATES
from sciaid.market.models import BuyerFigures, MarketFigures, Order, OrderLine, SupplierFigures
from sciaid.market.services.common import county_of
from sciaid.regions.models import Area

#: The stored tables in the order their rows are changed, each with the fields that make a row's key.
TABLES: dict[type[models.Model], tuple[str, ...]] = {
    MarketFigures: ("year", "county_id", "month", "category"),
    SupplierFigures: ("year", "county_id", "supplier_id", "month"),
    BuyerFigures: ("year", "buyer_id"),
}
#: The counted fields of each table.
FIGURES = {
    MarketFigures: ("amount", "quantity", "orders"),
    SupplierFigures: ("amount", "orders"),
    BuyerFigures: ("amount", "orders"),
}

Rows = dict[type[models.Model], dict[tuple, dict[str, Decimal | int]]]


def _empty() -> Rows:
    return {model: defaultdict(lambda model=model: dict.fromkeys(FIGURES[model], 0)) for model in TABLES}


def _add(rows: dict, key: tuple, **figures) -> None:
    row = rows[key]
    for name, value in figures.items():
        row[name] += value


def _counties(orders: Iterable[Order]) -> dict[str, int]:
    """{county code: its id} for the counties the orders were sold in."""
    codes = {county_of(order.area) for order in orders}
    return dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))


def order_rows(placed: Iterable[tuple[Order, list[OrderLine]]], sign: int) -> Rows:
    """What the orders (each with its lines) add to each stored row, times `sign`."""
    placed = list(placed)
    counties = _counties(order for order, _lines in placed)
    rows = _empty()
    for order, lines in placed:
        county, day = counties[county_of(order.area)], order.placed_on
        for category in {line.category for line in lines}:
            mine = [line for line in lines if line.category == category]
            _add(
                rows[MarketFigures],
                (day.year, county, day.month, category),
                amount=sign * sum(line.amount for line in mine),
                quantity=sign * sum(line.quantity for line in mine),
                orders=sign,
            )
        _add(
            rows[SupplierFigures],
            (day.year, county, order.supplier_id, day.month),
            amount=sign * order.total,
            orders=sign,
        )
        _add(rows[BuyerFigures], (day.year, order.buyer_id), amount=sign * order.total, orders=sign)
    return rows


def tally(placed: Iterable[tuple[Order, list[OrderLine]]], sign: int) -> None:
    """Add (`sign` +1: placed) or take back (-1: cancelled) these orders in the stored figures."""
    for model, rows in order_rows(placed, sign).items():
        fields = TABLES[model]
        for key in sorted(rows):
            match = dict(zip(fields, key, strict=True))
            changes = {name: F(name) + value for name, value in rows[key].items()}
            stored = model.objects.filter(**match)
            if not stored.update(**changes):
                model.objects.bulk_create([model(**match)], ignore_conflicts=True)
                stored.update(**changes)


# --- recomputing ----------------------------------------------------------------------------------------------------


def computed_rows() -> Rows:
    """Every stored row as the orders say it should be (the purchases only)."""
    lines = (
        OrderLine.objects.filter(order__status__in=PURCHASE_STATES)
        .annotate(
            county=Substr("order__area__code", 1, 6),
            year=ExtractYear("order__placed_on"),
            month=ExtractMonth("order__placed_on"),
        )
        .values("county", "year", "month", "category")
        .annotate(sold=Sum("amount"), pieces=Sum("quantity"), placed=Count("order", distinct=True))
        .order_by()
    )
    orders = Order.objects.filter(status__in=PURCHASE_STATES).annotate(
        county=Substr("area__code", 1, 6), year=ExtractYear("placed_on"), month=ExtractMonth("placed_on")
    )
    suppliers = (
        orders.values("county", "year", "month", "supplier").annotate(sold=Sum("total"), placed=Count("pk")).order_by()
    )
    buyers = orders.values("year", "buyer").annotate(sold=Sum("total"), placed=Count("pk")).order_by()
    lines, suppliers = list(lines), list(suppliers)
    codes = {row["county"].ljust(12, "0") for row in [*lines, *suppliers]}
    counties = dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))
    rows = _empty()
    for row in lines:
        county = counties[row["county"].ljust(12, "0")]
        _add(
            rows[MarketFigures],
            (row["year"], county, row["month"], row["category"]),
            amount=row["sold"],
            quantity=row["pieces"],
            orders=row["placed"],
        )
    for row in suppliers:
        county = counties[row["county"].ljust(12, "0")]
        key = (row["year"], county, row["supplier"], row["month"])
        _add(rows[SupplierFigures], key, amount=row["sold"], orders=row["placed"])
    for row in buyers:
        _add(rows[BuyerFigures], (row["year"], row["buyer"]), amount=row["sold"], orders=row["placed"])
    return rows


def stored_rows() -> Rows:
    """Every stored row that counts an order (rows taken back to zero by cancellations are left out)."""
    rows = _empty()
    for model, fields in TABLES.items():
        for values in model.objects.filter(orders__gt=0).values(*fields, *FIGURES[model]):
            rows[model][tuple(values[field] for field in fields)] = {name: values[name] for name in FIGURES[model]}
    return rows


def _plain(rows: Rows) -> dict:
    return {model: {key: dict(figures) for key, figures in table.items()} for model, table in rows.items()}


@transaction.atomic
def refresh_market_figures() -> dict[str, int]:
    """Recompute every stored row from the orders; {"rows": rows written, "repaired": rows that were wrong}.

    On PostgreSQL the three tables are locked first (orders can still be placed, their figures wait): an order
    counted before the lock is in the orders recomputed, one counted after adds to the recomputed rows.
    """
    if connection.vendor == "postgresql":
        tables = ", ".join(model._meta.db_table for model in TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
    wanted, stored = _plain(computed_rows()), _plain(stored_rows())
    repaired = 0
    for model, fields in TABLES.items():
        keys = set(wanted[model]) | set(stored[model])
        repaired += sum(1 for key in keys if wanted[model].get(key) != stored[model].get(key))
        every = model.objects.all()
        # Derived rows: one DELETE, without loading each row for the delete signals (which log BaseModels only).
        every._raw_delete(every.db)
        model.objects.bulk_create(
            [model(**dict(zip(fields, key, strict=True)), **figures) for key, figures in wanted[model].items()],
            batch_size=5000,
        )
    return {"rows": sum(len(table) for table in wanted.values()), "repaired": repaired}
