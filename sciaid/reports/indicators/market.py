"""Consumption poverty alleviation (消费扶贫): purchases of the county's products, and buyers' purchases against
their quotas.

Sales are read from the market's stored monthly figures (`MarketFigures`, `SupplierFigures`, kept per county of the
supplier and month): monthly. Quotas are set per buyer and year, and a buyer's purchases stored per year
(`BuyerFigures`): per year only, counted in the buyer's county.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period
from sciaid.market.models import BuyerFigures, MarketFigures, Quota, SupplierFigures
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import Unit, Values, by_county, merged, ratio, source

PURCHASES = "market.purchases"
PIECES = "market.pieces"
ORDERS = "market.orders"
QUOTAS = "market.quotas"
QUOTA_PURCHASES = "market.quota_purchases"


def months_of(period: Period) -> dict:
    """The lookups selecting the stored monthly rows of the period."""
    last = period.end - timedelta(days=1)
    return {"year": period.start.year, "month__range": (period.start.month, last.month)}


@source(
    "market",
    monthly=True,
    indicators=[
        (
            PURCHASES,
            _("Purchases of poverty-alleviation products"),
            Unit.YUAN,
            _("Amount of the orders placed with the county's suppliers."),
        ),
        (PIECES, _("Pieces purchased"), Unit.COUNT, _("Pieces of those orders.")),
        (ORDERS, _("Orders"), Unit.COUNT, _("Orders placed with the county's suppliers.")),
    ],
)
def market_figures(period: Period, counties: list[Area]) -> Values:
    """Two grouped queries over the stored monthly figures."""
    months = months_of(period)
    sales = by_county(
        MarketFigures.objects.filter(**months),
        "county__code",
        counties,
        **{PURCHASES: Sum("amount"), PIECES: Sum("quantity")},
    )
    orders = by_county(SupplierFigures.objects.filter(**months), "county__code", counties, **{ORDERS: Sum("orders")})
    return merged(sales, orders)


@source(
    "market_quotas",
    monthly=False,
    indicators=[
        (
            QUOTAS,
            _("Purchase quotas"),
            Unit.YUAN,
            _("Amounts the county's buyer institutions are to spend in the year."),
        ),
        (
            QUOTA_PURCHASES,
            _("Purchases against quotas"),
            Unit.YUAN,
            _("What the buyers with a quota bought in the year."),
        ),
    ],
)
def quota_figures(period: Period, counties: list[Area]) -> Values:
    """Two grouped queries."""
    quotas = Quota.objects.filter(year=period.year)
    set_ = by_county(quotas, "buyer__area__code", counties, **{QUOTAS: Sum("amount")})
    bought = by_county(
        BuyerFigures.objects.filter(year=period.year, buyer__in=quotas.values("buyer")),
        "buyer__area__code",
        counties,
        **{QUOTA_PURCHASES: Sum("amount")},
    )
    return merged(set_, bought)


ratio(
    "market.quota_rate",
    _("Quota fulfilment"),
    QUOTA_PURCHASES,
    QUOTAS,
    _("Purchases of the buyers with a quota over their quotas."),
)
