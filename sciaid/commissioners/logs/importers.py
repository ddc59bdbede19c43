"""Paper service logs a county types up from its spreadsheets: villages and households by their division code and
registered number; all rows valid or none written, and each counts as confirmed by the importing user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.commissioners.importers import ExpertLookup
from sciaid.commissioners.logs import services
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.core.privacy import validate_phone
from sciaid.core.scoping import CHANGE
from sciaid.core.spreadsheets import Column, Importer, Row, parse_day
from sciaid.experts.importers import split_list
from sciaid.regions.choices import AreaLevel
from sciaid.regions.importers import choice_parser, parse_code
from sciaid.regions.models import Area, Household


def parse_count(text: str) -> int:
    if not text.isdigit() or int(text) > 100000:
        raise ValidationError(_("Write a whole number from 0 to 100000."))
    return int(text)


def multiline(text: str) -> str:
    return "\n".join(split_list(text))


class ServiceLogImporter(Importer):
    """Paper service records a county types up; they count as confirmed by the importing user."""

    columns = [
        Column("name", gettext_lazy("Commissioner"), example="李明华", max_length=64),
        Column("phone", gettext_lazy("Commissioner's phone"), validate_phone, example="13905540001", text=True),
        Column("village", gettext_lazy("Village division code"), parse_code, example="340422105201", text=True),
        Column("kind", gettext_lazy("Type of service"), choice_parser(ServiceKind), example="实用技术培训"),
        Column("served_on", gettext_lazy("Date"), parse_day, example="2020-05-20"),
        Column("summary", gettext_lazy("What was done"), example="稻虾共养技术培训"),
        Column("participants", gettext_lazy("Participants"), parse_count, required=False, example="35"),
        Column("households", gettext_lazy("Household numbers"), split_list, required=False, example="", text=True),
        Column("other_households", gettext_lazy("Other households helped"), parse_count, required=False, example="3"),
        Column("varieties", gettext_lazy("New varieties introduced"), multiline, required=False, example="稻虾1号"),
        Column("techniques", gettext_lazy("New techniques introduced"), multiline, required=False, example=""),
    ]
    model = ServiceLog

    def run(self, uploaded, progress=None):
        self.experts = ExpertLookup(self.user)
        return super().run(uploaded, progress)

    def prepare(self, rows: list[Row]) -> None:
        """The batch's villages in the user's jurisdiction and their households it names: two queries."""
        codes = {row.values["village"] for row in rows}
        villages = Area.objects.for_user(self.user, CHANGE).filter(code__in=codes, level=AreaLevel.VILLAGE)
        self.villages = {area.code: area for area in villages}
        numbers = {number for row in rows for number in row.values["households"] or []}
        self.households = {
            (h.village_id, h.number): h for h in Household.objects.filter(number__in=numbers, village__in=villages)
        }

    def check_row(self, row: Row) -> None:
        v = row.values
        v["expert"] = self.experts.get(row)
        v["village_area"] = self.villages.get(v["village"])
        if v["village_area"] is None:
            raise ValidationError({"village": _("Unknown village code in your jurisdiction.")})
        numbers = sorted(set(v["households"] or []))
        found = [self.households.get((v["village_area"].pk, number)) for number in numbers]
        missing = [number for number, household in zip(numbers, found, strict=True) if household is None]
        if missing:
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
