"""Yearly figures of sites as counties and commissioners keep them in a spreadsheet: one row per site and year.

The whole sheet is checked first — a site the user may not enter figures for, a year not begun, a negative or
malformed number, or the same site and year twice is a row error — and written in one transaction, or not at all.
A row for a year already entered corrects it; importing the same sheet twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.spreadsheets import Column, Importer, Row, RowError
from sciaid.demonstration import services
from sciaid.demonstration.models import SiteFigures


def parse_year(text: str) -> int:
    if not text.strip().isdigit():
        raise ValidationError(_("Write the year as 2020."))
    year = int(text.strip())
    services.check_year(year)
    return year


def parse_amount(limit: int) -> Callable[[str], Decimal]:
    """A parser of a number of at least 0 with at most two decimals, below 10**limit."""

    def parse(text: str) -> Decimal:
        try:
            value = Decimal(text.replace(",", "").replace("¥", "").strip())
        except InvalidOperation:
            raise ValidationError(_("Write a number such as 1250.50.")) from None
        if not value.is_finite() or value.as_tuple().exponent < -2 or value >= 10**limit:
            raise ValidationError(_("Write a number such as 1250.50."))
        if value < 0:
            raise ValidationError(_("A figure cannot be negative."))
        return value.quantize(Decimal("0.01"))

    return parse


def parse_count(text: str) -> int:
    if not text.strip().isdigit():
        raise ValidationError(_("Write a whole number of at least 0."))
    return int(text.strip())


class FiguresImporter(Importer):
    """Figures of the sites the user manages or serves; sites named as recorded."""

    columns = [
        Column("site", gettext_lazy("Site"), example="示例示范基地", max_length=200),
        Column("year", gettext_lazy("Year"), parse_year, example="2020"),
        Column("output", gettext_lazy("Output (tonnes)"), parse_amount(10), example="120.5"),
        Column("yield_per_mu", gettext_lazy("Yield per mu (kg)"), parse_amount(8), example="75"),
        Column("income", gettext_lazy("Income (yuan)"), parse_amount(12), example="1800000"),
        Column("households_driven", gettext_lazy("Households driven"), parse_count, example="60"),
        Column(
            "poor_income_increase",
            gettext_lazy("Income increase per poor household (yuan)"),
            parse_amount(8),
            example="2500",
        ),
    ]
    model = SiteFigures

    def __init__(self, user):
        super().__init__(user)
        self.sites: dict[str, list] = {}
        for site in services.sites_for_figures(user).only("pk", "name"):
            self.sites.setdefault(site.name, []).append(site)

    def check_row(self, row: Row) -> None:
        sites = self.sites.get(row.values["site"], [])
        if not sites:
            raise ValidationError({"site": _("No site of this name whose figures you enter.")})
        if len(sites) > 1:
            raise ValidationError({"site": _("Several of your sites have this name.")})
        row.values["site"] = sites[0]

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        repeats = self.repeated(rows, "site-year", lambda row: (row.values["site"].pk, row.values["year"]))
        return [
            RowError(
                row.number, str(self.columns[1].header), _("The same site and year as row %(row)d.") % {"row": first}
            )
            for row, first in repeats
        ]

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        known = {
            (row.site_id, row.year): row
            for row in SiteFigures.objects.filter(site__in={r.values["site"].pk for r in rows})
        }
        for row in rows:
            values = {key: row.values[key] for key in services.FIGURE_FIELDS}
            before = known.get((row.values["site"].pk, row.values["year"]))
            if before is not None and all(getattr(before, key) == value for key, value in values.items()):
                unchanged += 1
                continue
            services.record_figures(self.user, row.values["site"], year=row.values["year"], **values)
            created += before is None
            updated += before is not None
        return created, updated, unchanged
