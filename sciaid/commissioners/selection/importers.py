"""Commissioner rosters from the spreadsheets counties keep: one row per commissioner a county selected in a year;
all rows valid or none written, and importing the same roster again changes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.commissioners.importers import ExpertLookup
from sciaid.commissioners.selection import services
from sciaid.commissioners.selection.choices import BatchStatus
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.core.privacy import validate_phone
from sciaid.core.scoping import CHANGE
from sciaid.core.spreadsheets import Column, Importer, Row, RowError
from sciaid.regions.importers import parse_code, parse_year


class RosterImporter(Importer):
    """One row per commissioner selected by a county in a year: they enter that county's open batch, approved."""

    columns = [
        Column("county", gettext_lazy("County (division code)"), parse_code, example="340422000000", text=True),
        Column("year", gettext_lazy("Year"), parse_year, example="2020"),
        Column("name", gettext_lazy("Name"), example="李明华", max_length=64),
        Column("phone", gettext_lazy("Phone"), validate_phone, example="13905540001", text=True),
        Column("nominated_by", gettext_lazy("Nominated by"), required=False, example="安徽农业大学", max_length=128),
    ]
    model = Candidate

    def run(self, uploaded, progress=None):
        self.experts = ExpertLookup(self.user)
        open_batches = Batch.objects.for_user(self.user, CHANGE).filter(status=BatchStatus.OPEN)
        self.batches = {(b.county.code, b.year): b for b in open_batches.select_related("county")}
        return super().run(uploaded, progress)

    def check_row(self, row: Row) -> None:
        v = row.values
        v["batch"] = self.batches.get((v["county"], v["year"]))
        if v["batch"] is None:
            raise ValidationError({"county": _("No open batch of this county and year in your jurisdiction.")})
        v["expert"] = self.experts.get(row)
        v["key"] = (v["batch"].pk, v["expert"].pk)

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        return self.unique(rows, "key", gettext_lazy("Name"), _("This commissioner appears twice in the file."))

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        created = unchanged = 0
        by_batch: dict[int, list[Row]] = {}
        for row in rows:
            by_batch.setdefault(row.values["batch"].pk, []).append(row)
        for batch_rows in by_batch.values():
            batch = batch_rows[0].values["batch"]
            made, kept = services.enter_roster(
                self.user, batch, [(r.values["expert"], r.values["nominated_by"] or "") for r in batch_rows]
            )
            created, unchanged = created + made, unchanged + kept
        return created, 0, unchanged
