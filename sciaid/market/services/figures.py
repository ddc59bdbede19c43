"""The market's figures for one area and year: purchases by buyer (against its quota), by supplier, by county and
month, by category, and the income attributed to poor households through their suppliers' shares.

A purchase is an order that was not cancelled; it counts in the county of its supplier (the county that sold) and in
the year it was placed. Every figure is a handful of grouped queries on indexed columns (area code range, date).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, Substr

from sciaid.funds.models import rounded
from sciaid.market.choices import PURCHASE_STATES, ProductCategory
from sciaid.market.models import Beneficiary, Buyer, Order, OrderLine, Quota
from sciaid.regions.models import Area

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def purchases() -> QuerySet[Order]:
    """Orders that count as purchases: every state but cancelled."""
    return Order.objects.filter(status__in=PURCHASE_STATES)


def sold_in(area: Area, year: int) -> QuerySet[Order]:
    """Purchases from suppliers of the area (and below) placed in the year."""
    return purchases().filter(area__code__range=area.subtree_bounds, placed_on__year=year)


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def with_progress(quotas: QuerySet[Quota]) -> QuerySet[Quota]:
    """Annotate each quota with `purchased`: what its buyer bought in the quota's year (one subquery)."""
    bought = (
        purchases()
        .filter(buyer=OuterRef("buyer"), placed_on__year=OuterRef("year"))
        .order_by()
        .values("buyer")
        .annotate(s=Sum("total"))
        .values("s")
    )
    return quotas.annotate(purchased=rounded(Coalesce(Subquery(bought, output_field=MONEY), Value(ZERO))))


def by_buyer(area: Area, year: int) -> list[dict]:
    """Buyers of the area with a quota or purchases in the year: bought, quota and % of it."""
    bought = (
        purchases()
        .filter(buyer=OuterRef("pk"), placed_on__year=year)
        .order_by()
        .values("buyer")
        .annotate(s=Sum("total"))
    )
    quota = Quota.objects.filter(buyer=OuterRef("pk"), year=year).values("amount")
    buyers = (
        Buyer.objects.filter(area__code__range=area.subtree_bounds)
        .annotate(
            purchased=Coalesce(Subquery(bought.values("s"), output_field=MONEY), Value(ZERO)),
            quota=Subquery(quota, output_field=MONEY),
        )
        .order_by("-purchased", "pinyin")
    )
    return [
        {
            "buyer": buyer.pk,
            "name": buyer.name,
            "purchased": rounded_money(buyer.purchased),
            "quota": buyer.quota,
            "percent": percent(buyer.purchased, buyer.quota),
        }
        for buyer in buyers
        if buyer.purchased or buyer.quota
    ]


def rounded_money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def by_supplier(orders: QuerySet[Order]) -> list[dict]:
    rows = (
        orders.order_by()
        .values("supplier", "supplier__name")
        .annotate(total=Sum("total"), orders=Count("pk"))
        .order_by("-total", "supplier")
    )
    return [
        {
            "supplier": r["supplier"],
            "name": r["supplier__name"],
            "total": rounded_money(r["total"]),
            "orders": r["orders"],
        }
        for r in rows
    ]


def by_county_month(orders: QuerySet[Order]) -> list[dict]:
    rows = (
        orders.order_by()
        .annotate(county=Substr("area__code", 1, 6), month=ExtractMonth("placed_on"))
        .values("county", "month")
        .annotate(total=Sum("total"), orders=Count("pk"))
        .order_by("county", "month")
    )
    rows = list(rows)
    codes = {row["county"].ljust(12, "0") for row in rows}
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        {
            "county": row["county"].ljust(12, "0"),
            "county_name": names.get(row["county"].ljust(12, "0"), ""),
            "month": row["month"],
            "total": rounded_money(row["total"]),
            "orders": row["orders"],
        }
        for row in rows
    ]


def by_category(orders: QuerySet[Order]) -> list[dict]:
    rows = (
        OrderLine.objects.filter(order__in=orders.values("pk"))
        .values("product__category")
        .annotate(total=Sum("amount"))
        .order_by("-total")
    )
    labels = dict(ProductCategory.choices)
    return [
        {
            "category": r["product__category"],
            "label": str(labels.get(r["product__category"], "")),
            "total": rounded_money(r["total"]),
        }
        for r in rows
    ]


def household_income(suppliers: list[dict]) -> dict:
    """Income attributed to households: each supplier's sales × each linked household's share."""
    sales = {row["supplier"]: row["total"] for row in suppliers}
    income: dict[int, Decimal] = defaultdict(Decimal)
    links = Beneficiary.objects.filter(supplier__in=list(sales)).values_list("supplier", "household", "share")
    for supplier, household, share in links:
        income[household] += sales[supplier] * share / 100
    total = sum(income.values(), Decimal("0"))
    return {"total": rounded_money(total), "households": len(income)}


def market_figures(area: Area, year: int) -> dict:
    """Every figure of the market page and report for the area and year."""
    orders = sold_in(area, year)
    totals = orders.aggregate(total=Sum("total"), orders=Count("pk"))
    suppliers = by_supplier(orders)
    return {
        "area": area,
        "year": year,
        "total": rounded_money(totals["total"]),
        "orders": totals["orders"],
        "by_buyer": by_buyer(area, year),
        "by_supplier": suppliers,
        "by_county_month": by_county_month(orders),
        "by_category": by_category(orders),
        "household_income": household_income(suppliers),
    }
