"""The market's figures for one area and year: purchases by buyer (against its quota), by supplier, by county and
month, by category, and the income attributed to poor households through their suppliers' shares.

A purchase is an order that was not cancelled; it counts in the county of its supplier (the county that sold), in
the year and month it was placed, and under the category its lines had when ordered. A county, city or province
reads the stored figures (`MarketFigures`, `SupplierFigures`, `BuyerFigures`, kept by the order services in
`services.tallies`): a few grouped queries over at most a row per county, supplier or buyer and month, never the
orders. A township, below the stored counties, is counted from its orders (`live_figures`, a few grouped queries on
indexed columns), and so is the reference the stored rows are checked against.

Income attributed to households is each supplier's sales × each linked household's share as the shares stand today
(a share changed in December re-attributes the whole year), so it is not stored: it is worked out from the stored
sales per supplier and the beneficiary links, with the same arithmetic as from the orders.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, Substr

from sciaid.funds.models import rounded
from sciaid.market.choices import PURCHASE_STATES, ProductCategory
from sciaid.market.models import (
    Beneficiary,
    Buyer,
    BuyerFigures,
    MarketFigures,
    Order,
    OrderLine,
    Quota,
    SupplierFigures,
)
from sciaid.regions.choices import AreaLevel
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


def rounded_money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _by_buyer(area: Area, year: int, bought: QuerySet) -> list[dict]:
    """Buyers of the area with a quota or purchases in the year: bought (`bought`, a subquery of one value per
    buyer), quota and % of it, most bought first."""
    quota = Quota.objects.filter(buyer=OuterRef("pk"), year=year).values("amount")
    buyers = (
        Buyer.objects.filter(area__code__range=area.subtree_bounds)
        .annotate(
            purchased=Coalesce(Subquery(bought, output_field=MONEY), Value(ZERO)),
            quota=Subquery(quota, output_field=MONEY),
        )
        .order_by("-purchased", "pinyin", "pk")
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


def household_income(sales: dict[int, Decimal], links: QuerySet[Beneficiary]) -> dict:
    """Income attributed to households: each supplier's sales × each linked household's share (`links`: the
    beneficiary rows of at least the suppliers of `sales`)."""
    income: dict[int, Decimal] = defaultdict(Decimal)
    for supplier, household, share in links.values_list("supplier", "household", "share"):
        if supplier in sales:
            income[household] += sales[supplier] * share / 100
    total = sum(income.values(), Decimal("0"))
    return {"total": rounded_money(total), "households": len(income)}


def _figures(area: Area, year: int, *, totals: dict, by_supplier: list[dict], links: QuerySet, **tables) -> dict:
    sales = {row["supplier"]: row["total"] for row in by_supplier}
    return {
        "area": area,
        "year": year,
        "total": rounded_money(totals["total"]),
        "orders": totals["placed"] or 0,
        "by_buyer": tables["by_buyer"],
        "by_supplier": by_supplier,
        "by_county_month": tables["by_county_month"],
        "by_category": tables["by_category"],
        "household_income": household_income(sales, links),
    }


def market_figures(area: Area, year: int) -> dict:
    """Every figure of the market page and report for the area and year: stored for a county and above, counted
    from the orders for a township."""
    return stored_figures(area, year) if area.level <= AreaLevel.COUNTY else live_figures(area, year)


# --- from the orders ------------------------------------------------------------------------------------------------


def live_figures(area: Area, year: int) -> dict:
    orders = sold_in(area, year)
    bought = (
        purchases()
        .filter(buyer=OuterRef("pk"), placed_on__year=year)
        .order_by()
        .values("buyer")
        .annotate(s=Sum("total"))
        .values("s")
    )
    suppliers = (
        orders.order_by()
        .values("supplier", "supplier__name")
        .annotate(total=Sum("total"), placed=Count("pk"))
        .order_by("-total", "supplier")
    )
    months = (
        orders.order_by()
        .annotate(county=Substr("area__code", 1, 6), month=ExtractMonth("placed_on"))
        .values("county", "month")
        .annotate(total=Sum("total"), placed=Count("pk"))
        .order_by("county", "month")
    )
    months = [{**row, "county": row["county"].ljust(12, "0")} for row in months]
    names = dict(Area.objects.filter(code__in={row["county"] for row in months}).values_list("code", "name"))
    categories = (
        OrderLine.objects.filter(order__in=orders.values("pk"))
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by("-total", "category")
    )
    return _figures(
        area,
        year,
        totals=orders.aggregate(total=Sum("total"), placed=Count("pk")),
        by_buyer=_by_buyer(area, year, bought),
        by_supplier=[supplier_row(row["supplier"], row["supplier__name"], row) for row in suppliers],
        by_county_month=[month_row(row["county"], names.get(row["county"], ""), row) for row in months],
        by_category=[category_row(row) for row in categories],
        links=Beneficiary.objects.filter(supplier__in=orders.values("supplier")),
    )


# --- from the stored rows -------------------------------------------------------------------------------------------


def stored_figures(area: Area, year: int) -> dict:
    """The figures of a county, city or province from the stored rows of its counties (a township has none)."""
    in_area = {"year": year, "county__code__range": area.subtree_bounds}
    sold = SupplierFigures.objects.filter(**in_area)
    counted = {"total": Sum("amount"), "placed": Sum("orders")}
    suppliers = (
        sold.values("supplier", "supplier__name")
        .annotate(**counted)
        .filter(placed__gt=0)
        .order_by("-total", "supplier")
    )
    months = (
        sold.values("county__code", "county__name", "month")
        .annotate(**counted)
        .filter(placed__gt=0)
        .order_by("county__code", "month")
    )
    categories = (
        MarketFigures.objects.filter(**in_area)
        .values("category")
        .annotate(**counted)
        .filter(placed__gt=0)
        .order_by("-total", "category")
    )
    bought = BuyerFigures.objects.filter(buyer=OuterRef("pk"), year=year).values("amount")
    return _figures(
        area,
        year,
        totals=sold.aggregate(**counted),
        by_buyer=_by_buyer(area, year, bought),
        by_supplier=[supplier_row(row["supplier"], row["supplier__name"], row) for row in suppliers],
        by_county_month=[month_row(row["county__code"], row["county__name"], row) for row in months],
        by_category=[category_row(row) for row in categories],
        links=Beneficiary.objects.filter(supplier__in=sold.filter(orders__gt=0).values("supplier")),
    )


def supplier_row(supplier: int, name: str, row: dict) -> dict:
    return {"supplier": supplier, "name": name, "total": rounded_money(row["total"]), "orders": row["placed"]}


def month_row(county: str, name: str, row: dict) -> dict:
    return {
        "county": county,
        "county_name": name,
        "month": row["month"],
        "total": rounded_money(row["total"]),
        "orders": row["placed"],
    }


LABELS = dict(ProductCategory.choices)


def category_row(row: dict) -> dict:
    return {
        "category": row["category"],
        "label": str(LABELS.get(row["category"], "")),
        "total": rounded_money(row["total"]),
    }
