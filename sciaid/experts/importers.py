"""Experts from the spreadsheets counties keep; all rows valid or nothing written, idempotent by username.

Each row goes through `services.save_expert`, so an import applies exactly the rules of the form; a second import
of the same file changes nothing. Specialties are given by code or by name in either language (河蟹、水产 or
river-crabs, aquaculture).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.core.privacy import validate_phone
from sciaid.core.scoping import CHANGE, may
from sciaid.core.spreadsheets import Column, Importer, Row, RowError
from sciaid.experts import services
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.importers import choice_parser, parse_code
from sciaid.regions.models import Area

SEPARATORS = ("、", "，", ";", "；")


def split_list(text: str) -> list[str]:
    for separator in SEPARATORS:
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def specialty_lookup() -> dict[str, Specialty]:
    """Every specialty by its code and both its names, lowercased (one query per import)."""
    found = {}
    for specialty in Specialty.objects.all():
        for key in (specialty.code, specialty.name_zh, specialty.name_en):
            found[key.strip().lower()] = specialty
    return found


#: Kept for the template's example row: no real login may take it, so an edited example never updates an expert.
EXAMPLE_USERNAME = "example_expert"


class ExpertImporter(Importer):
    """One row per expert: the login's username keys the row, so importing again updates instead of duplicating."""

    columns = [
        Column("name", gettext_lazy("Name"), example="李明华", max_length=64),
        Column("username", gettext_lazy("Username"), example=EXAMPLE_USERNAME, max_length=150),
        Column("phone", gettext_lazy("Phone"), validate_phone, required=False, example="13800000000", text=True),
        Column("organisation", gettext_lazy("Organisation"), example="安徽农业大学", max_length=128),
        Column("title", gettext_lazy("Professional title"), required=False, example="副教授", max_length=64),
        Column("level", gettext_lazy("Level"), choice_parser(ExpertLevel), required=False, example="县级"),
        Column(
            "home_area_code", gettext_lazy("Selected by (division code)"), parse_code, example="340422000000", text=True
        ),
        Column("specialties", gettext_lazy("Specialties"), split_list, example="河蟹、水产"),
        Column("expertise", gettext_lazy("Expertise"), required=False, example="河蟹生态养殖、水质调控"),
        Column(
            "availability", gettext_lazy("Availability"), required=False, example="工作日 8:00–17:00", max_length=128
        ),
    ]
    model = Expert
    example_key = "username"

    def run(self, uploaded, progress=None):
        self.areas = {
            area.code: area for area in Area.objects.for_user(self.user, CHANGE).filter(level__lte=AreaLevel.COUNTY)
        }
        self.specialties = specialty_lookup()
        return super().run(uploaded, progress)

    def prepare(self, rows: list[Row]) -> None:
        """The batch's accounts and their experts, by lowercased username: one query."""
        usernames = {row.values["username"].lower() for row in rows}
        accounts = User.objects.annotate(key=Lower("username")).filter(key__in=usernames)
        self.accounts = {account.key: account for account in accounts.select_related("expert__home_area")}

    def check_row(self, row: Row) -> None:
        v = row.values
        area = self.areas.get(v["home_area_code"])
        if area is None:
            raise ValidationError({"home_area_code": _("Unknown province, city or county code in your jurisdiction.")})
        v["home_area"] = area
        if v["level"] and v["level"] != services.level_for(area):
            raise ValidationError({"level": _("The level must match the area that selected the expert.")})
        unknown = [name for name in v["specialties"] if name.lower() not in self.specialties]
        if unknown:
            raise ValidationError({"specialties": _("Unknown specialty: %(names)s.") % {"names": "、".join(unknown)}})
        v["specialty_objects"] = [self.specialties[name.lower()] for name in v["specialties"]]
        account = self.accounts.get(v["username"].lower())
        expert = getattr(account, "expert", None) if account else None
        if expert is not None and not services.manages(self.user, expert):
            raise ValidationError({"username": _("This expert is managed outside your jurisdiction.")})
        if account is not None and expert is None and not may(self.user, account, CHANGE):
            raise ValidationError({"username": _("This username belongs to an account outside your jurisdiction.")})
        v["expert"] = expert

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        for row in rows:
            row.values["username_key"] = row.values["username"].lower()
        return self.unique(
            rows, "username_key", gettext_lazy("Username"), _("This username appears twice in the file.")
        )

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        created = updated = unchanged = 0
        for row in rows:
            v = row.values
            expert = v["expert"]
            fields = {
                "name": v["name"],
                "organisation": v["organisation"],
                "title": v["title"] or "",
                "home_area": v["home_area"],
                "phone": v["phone"] or "",
                "expertise": v["expertise"] or "",
                "availability": v["availability"] or "",
            }
            if expert is None:
                services.save_expert(self.user, username=v["username"], specialties=v["specialty_objects"], **fields)
                created += 1
                continue
            before = (expert.audit_values(), set(expert.specialties.values_list("pk", flat=True)))
            services.save_expert(self.user, instance=expert, specialties=v["specialty_objects"], **fields)
            after = (expert.audit_values(), {s.pk for s in v["specialty_objects"]})
            if after == before:
                unchanged += 1
            else:
                updated += 1
        return created, updated, unchanged


def header(key: str):
    """The importer's header for a column, so an exported list imports back unchanged."""
    return next(column.header for column in ExpertImporter.columns if column.key == key)
