"""Expenditures from the spreadsheets counties keep: all rows valid or nothing posted.

Each row names the allocation it is paid from by its number (shown on the allocation's page and in the export).
Beyond each row's own checks, the rows of one allocation together must fit its balance: a file that would overspend
is refused whole, naming the first row that no longer fits. Writing goes through `services.spend`, so an import
applies exactly the rules of the form. Posting is not idempotent (two equal payments are legitimate): importing the
same file twice posts twice, and is corrected by reversals.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.scoping import CHANGE
from sciaid.core.spreadsheets import Column, Importer, Row, RowError, parse_day
from sciaid.funds import services
from sciaid.funds.choices import ExpenditureCategory
from sciaid.funds.models import Allocation, Expenditure
from sciaid.funds.money import yuan
from sciaid.regions.importers import choice_parser, parse_money


def parse_allocation_number(text: str) -> int:
    number = text.strip().lstrip("#")
    if not number.isdigit():
        raise ValidationError(_("Write the allocation's number, such as 1024."))
    return int(number)


class ExpenditureImporter(Importer):
    model = Expenditure
    columns = [
        Column("allocation", gettext_lazy("Allocation number"), parse_allocation_number, example="1024"),
        Column("category", gettext_lazy("Category"), choice_parser(ExpenditureCategory), example="培训"),
        Column("amount", gettext_lazy("Amount (yuan)"), parse_money, example="31960.00"),
        Column("spent_on", gettext_lazy("Date"), parse_day, example="2020-06-18"),
        Column("payee", gettext_lazy("Payee"), example="寿县职业教育中心", max_length=200),
        Column("description", gettext_lazy("Description"), required=False, example="新型职业农民培训", max_length=200),
    ]

    def run(self, uploaded, progress=None):
        self.allocations: dict[int, Allocation | None] = {}
        #: What the file's rows so far take from each allocation, across batches.
        self.used: dict[int, object] = defaultdict(int)
        return super().run(uploaded, progress)

    def allocation(self, number: int) -> Allocation | None:
        """The allocation, if the user keeps its books; looked up once per number (with its balance)."""
        if number not in self.allocations:
            self.allocations[number] = (
                Allocation.objects.for_user(self.user, CHANGE)
                .with_totals()
                .select_related("budget__area")
                .filter(pk=number, reverses__isnull=True)
                .first()
            )
        return self.allocations[number]

    def check_row(self, row: Row) -> None:
        v = row.values
        if v["amount"] <= 0:
            raise ValidationError({"amount": _("The amount must be more than zero.")})
        v["allocation_object"] = self.allocation(v["allocation"])
        if v["allocation_object"] is None:
            raise ValidationError({"allocation": _("No allocation with this number in your jurisdiction.")})

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        """The rows of each allocation, in file order, must fit its balance together."""
        used = self.used
        errors = []
        column = str(self.columns[2].header)
        for row in rows:
            allocation = row.values["allocation_object"]
            used[allocation.pk] += row.values["amount"]
            if used[allocation.pk] > allocation.balance:
                errors.append(
                    RowError(
                        row.number,
                        column,
                        _("Allocation %(number)d has only %(left)s left; the rows up to here need %(need)s.")
                        % {
                            "number": allocation.pk,
                            "left": yuan(allocation.balance),
                            "need": yuan(used[allocation.pk]),
                        },
                    )
                )
        return errors

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        for row in rows:
            v = row.values
            services.spend(
                self.user,
                v["allocation_object"],
                category=v["category"],
                amount=v["amount"],
                spent_on=v["spent_on"],
                payee=v["payee"],
                description=v["description"] or "",
            )
        return len(rows), 0, 0


def header(key: str):
    """The importer's header for a column, so an exported list imports back unchanged."""
    return next(column.header for column in ExpenditureImporter.columns if column.key == key)
