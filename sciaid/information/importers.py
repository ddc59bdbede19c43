"""Market prices as counties collect them in a spreadsheet: one row per date, product and market.

The whole sheet is checked first — an unknown product, a market outside the user's jurisdiction, a negative price or
the same product, market and day twice is a row error — and written in one transaction, or not at all. A row for a
day already recorded corrects it; importing the same sheet twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.scoping import CHANGE
from sciaid.core.spreadsheets import Column, Importer, Row, RowError, parse_day
from sciaid.information import services
from sciaid.information.models import Market, MarketPrice, Product


def parse_price(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise ValidationError(_("Write a price such as 2.60.")) from None
    if not value.is_finite() or value.as_tuple().exponent < -2 or value >= 10**8:
        raise ValidationError(_("Write a price such as 2.60."))
    if value < 0:
        raise ValidationError(_("A price cannot be negative."))
    return value.quantize(Decimal("0.01"))


class PriceImporter(Importer):
    """Prices of the user's markets; products must be in the catalogue, markets named as recorded."""

    columns = [
        Column("date", gettext_lazy("Date"), parse_day, example="2020-05-22"),
        Column("product", gettext_lazy("Product"), example="示例产品", max_length=64),
        Column("market", gettext_lazy("Market"), example="示例市场", max_length=100),
        Column("price", gettext_lazy("Price"), parse_price, example="2.60"),
        Column("unit", gettext_lazy("Unit"), required=False, example="元/公斤", max_length=16),
    ]
    model = MarketPrice

    def __init__(self, user):
        super().__init__(user)
        self.products = {product.name: product for product in Product.objects.all()}
        self.markets: dict[str, list[Market]] = {}
        for market in Market.objects.for_user(user, CHANGE):
            self.markets.setdefault(market.name, []).append(market)

    def check_row(self, row: Row) -> None:
        values = row.values
        product = self.products.get(values["product"])
        if product is None:
            raise ValidationError({"product": _("No product of this name in the catalogue.")})
        markets = self.markets.get(values["market"], [])
        if not markets:
            raise ValidationError({"market": _("No market of this name in your jurisdiction.")})
        if len(markets) > 1:
            raise ValidationError({"market": _("Several markets of your jurisdiction have this name.")})
        values.update(product=product, market=markets[0])

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        repeats = self.repeated(
            rows,
            "product-market-date",
            lambda row: (row.values["product"].pk, row.values["market"].pk, row.values["date"]),
        )
        message = _("The same product, market and date as row %(row)d.")
        return [RowError(row.number, str(self.columns[0].header), message % {"row": first}) for row, first in repeats]

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        for row in rows:
            values = row.values
            unit = values["unit"] or values["product"].unit
            known = MarketPrice.objects.filter(
                product=values["product"], market=values["market"], date=values["date"]
            ).first()
            if known is not None and known.price == values["price"] and known.unit == unit:
                unchanged += 1
                continue
            services.record_price(
                self.user,
                product=values["product"],
                market=values["market"],
                day=values["date"],
                price=values["price"],
                unit=unit,
            )
            created += known is None
            updated += known is not None
        return created, updated, unchanged
