"""Commissioner rosters and paper service logs from the spreadsheets counties keep; all rows valid or none written.

Experts are found by name and phone among the experts the importing user may see (they are registered under Experts
first); villages and households by their division code and registered number. A roster import is idempotent (an
expert already in the batch is left alone).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.commissioners import services
from sciaid.commissioners.choices import BatchStatus, ServiceKind
from sciaid.commissioners.models import Batch
from sciaid.core.privacy import validate_phone
from sciaid.core.scoping import CHANGE
from sciaid.core.spreadsheets import Column, Importer, Row, RowError
from sciaid.experts.importers import split_list
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.importers import choice_parser, duplicates, parse_code, parse_year
from sciaid.regions.models import Area, Household


def parse_count(text: str) -> int:
    if not text.isdigit() or int(text) > 100000:
        raise ValidationError(_("Write a whole number from 0 to 100000."))
    return int(text)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationError(_("Write a date such as 2019-05-20.")) from None


def multiline(text: str) -> str:
    return "\n".join(split_list(text))


class ExpertLookup:
    """Experts the user may see, keyed by (name, phone)."""

    def __init__(self, user):
        self.found = {(e.name, e.phone): e for e in Expert.objects.for_user(user).filter(is_active=True)}

    def get(self, row: Row) -> Expert:
        expert = self.found.get((row.values["name"], row.values["phone"]))
        if expert is None:
            raise ValidationError({"name": _("No expert with this name and phone in your jurisdiction.")})
        return expert


class RosterImporter(Importer):
    """One row per commissioner selected by a county in a year: they enter that county's open batch, approved."""

    columns = [
        Column("county", gettext_lazy("County (division code)"), parse_code, example="340422000000"),
        Column("year", gettext_lazy("Year"), parse_year, example="2019"),
        Column("name", gettext_lazy("Name"), example="李明华"),
        Column("phone", gettext_lazy("Phone"), validate_phone, example="13905540001"),
        Column("nominated_by", gettext_lazy("Nominated by"), required=False, example="安徽农业大学"),
    ]

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
        return duplicates(rows, "key", gettext_lazy("Name"), _("This commissioner appears twice in the file."))

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


class ServiceLogImporter(Importer):
    """Paper service records a county types up; they count as confirmed by the importing user."""

    columns = [
        Column("name", gettext_lazy("Commissioner"), example="李明华"),
        Column("phone", gettext_lazy("Commissioner's phone"), validate_phone, example="13905540001"),
        Column("village", gettext_lazy("Village division code"), parse_code, example="340422105201"),
        Column("kind", gettext_lazy("Type of service"), choice_parser(ServiceKind), example="实用技术培训"),
        Column("served_on", gettext_lazy("Date"), parse_date, example="2019-05-20"),
        Column("summary", gettext_lazy("What was done"), example="稻虾共养技术培训"),
        Column("participants", gettext_lazy("Participants"), parse_count, required=False, example="35"),
        Column("households", gettext_lazy("Household numbers"), split_list, required=False, example=""),
        Column("other_households", gettext_lazy("Other households helped"), parse_count, required=False, example="3"),
        Column("varieties", gettext_lazy("New varieties introduced"), multiline, required=False, example="稻虾1号"),
        Column("techniques", gettext_lazy("New techniques introduced"), multiline, required=False, example=""),
    ]

    def run(self, uploaded, progress=None):
        self.experts = ExpertLookup(self.user)
        self.villages: dict[str, Area] = {}
        return super().run(uploaded, progress)

    def check_row(self, row: Row) -> None:
        v = row.values
        v["expert"] = self.experts.get(row)
        code = v["village"]
        if code not in self.villages:
            self.villages[code] = (
                Area.objects.for_user(self.user, CHANGE).filter(code=code, level=AreaLevel.VILLAGE).first()
            )
        v["village_area"] = self.villages[code]
        if v["village_area"] is None:
            raise ValidationError({"village": _("Unknown village code in your jurisdiction.")})
        numbers = v["households"] or []
        found = list(Household.objects.filter(number__in=numbers, village=v["village_area"]))
        if len(found) != len(set(numbers)):
            missing = sorted(set(numbers) - {h.number for h in found})
            raise ValidationError(
                {"households": _("Not households of this village: %(names)s.") % {"names": "、".join(missing)}}
            )
        v["household_objects"] = found

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        for row in rows:
            v = row.values
            services.import_log(
                self.user,
                expert=v["expert"],
                households=v["household_objects"],
                village=v["village_area"],
                kind=v["kind"],
                served_on=v["served_on"],
                summary=v["summary"],
                participants=v["participants"] or 0,
                other_households=v["other_households"] or 0,
                varieties=v["varieties"] or "",
                techniques=v["techniques"] or "",
            )
        return len(rows), 0, 0


def header(columns: list[Column], key: str):
    """An importer's header for a column, so an exported list imports back unchanged."""
    return next(column.header for column in columns if column.key == key)
