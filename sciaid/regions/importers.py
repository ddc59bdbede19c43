"""Village and household spreadsheets as counties keep them; all rows valid or nothing written.

Imports are idempotent: a village is keyed by its division code and a household by its registered number, so a
second import of the same file creates nothing and changes nothing.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core import audit
from sciaid.core.privacy import blind_index, encrypt, mask_id_number, validate_id_number, validate_phone
from sciaid.core.scoping import area_allows
from sciaid.core.spreadsheets import Column, Importer, Row, RowError
from sciaid.regions import household_merge
from sciaid.regions.choices import AreaLevel, HouseholdStatus, PovertyCause
from sciaid.regions.models import Area, Household
from sciaid.regions.services import check_area_code, pinyin_of, schedule_statistics_refresh


def parse_code(text: str) -> str:
    if not (text.isdigit() and len(text) == 12):
        raise ValidationError(_("A division code has exactly 12 digits."))
    return text


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in {"是", "yes", "y", "true", "1", "贫困村"}:
        return True
    if word in {"否", "no", "n", "false", "0", ""}:
        return False
    raise ValidationError(_("Write 是/yes or 否/no."))


def parse_year(text: str) -> int:
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ValidationError(_("Write a year such as 2019."))
    return int(text)


def parse_positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1 or int(text) > 99:
        raise ValidationError(_("Write a whole number from 1 to 99."))
    return int(text)


def parse_money(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise ValidationError(_("Write an amount in yuan, such as 4800 or 4800.50.")) from None
    if value < 0 or value.as_tuple().exponent < -2:
        raise ValidationError(_("Write an amount in yuan, such as 4800 or 4800.50."))
    return value.quantize(Decimal("0.01"))


#: Values per `__in` lookup: a province-size file must stay under SQLite's limit of 32,766 query parameters.
IN_BATCH = 1000


def in_batches(queryset, field: str, values):
    """The rows of `queryset` whose `field` is one of `values`, fetched a batch of values at a time."""
    values = list(values)
    for start in range(0, len(values), IN_BATCH):
        yield from queryset.filter(**{f"{field}__in": values[start : start + IN_BATCH]})


def choice_parser(choices):
    """Accept a choice by its code or by its label in either language (因病 → illness)."""

    @functools.cache
    def names() -> dict[str, str]:
        # Built on first use (translations are ready by then) and once, not per cell: imports parse many rows.
        known = {}
        for value, label in choices.choices:
            known[value.lower()] = value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    known[str(label).lower()] = value
        return known

    def parse(text: str):
        value = names().get(text.strip().lower())
        if value is None:
            raise ValidationError(
                _("“%(text)s” is not one of: %(options)s.")
                % {"text": text, "options": "、".join(str(label) for _, label in choices.choices)}
            )
        return value

    return parse


parse_cause = choice_parser(PovertyCause)


def cause_list(text: str) -> list[str]:
    return [parse_cause(part) for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]


#: The templates' examples use keys kept for them: village-level numbers run up to 399 (GB/T 10114), so 999 names no
#: village, and serial 0000 after a village's code is kept for the example household. An unchanged example row is
#: skipped; an edited one that keeps its key is refused, so it can never overwrite a real village or household.
EXAMPLE_VILLAGE_CODE = "340422105999"
EXAMPLE_HOUSEHOLD_NUMBER = "3404221052010000"

VILLAGE_FIELDS = ["name", "parent", "level", "pinyin", "initials", "is_poor", "lifted_year", "updated_by"]


class VillageImporter(Importer):
    """Villages (or townships) under the user's county: code, name, parent code, poor village, year lifted."""

    columns = [
        Column("code", gettext_lazy("Division code"), parse_code, example=EXAMPLE_VILLAGE_CODE, text=True),
        Column("name", gettext_lazy("Name"), example="示例村"),
        Column("parent_code", gettext_lazy("Parent division code"), parse_code, example="340422105000", text=True),
        Column("is_poor", gettext_lazy("Poor village"), parse_bool, required=False, example="是"),
        Column("lifted_year", gettext_lazy("Year lifted out of poverty"), parse_year, required=False, example="2019"),
    ]
    model = Area
    example_key = "code"

    def check_row(self, row: Row) -> None:
        values = row.values
        parent = self.parents.get(values["parent_code"])
        if parent is None or not area_allows(self.user, parent, Area.scope.change):
            raise ValidationError({"parent_code": _("Unknown parent division code.")})
        check_area_code(values["code"], parent.level + 1, parent)
        values["parent"] = parent

    def run(self, uploaded, progress=None):
        self.changed = False
        self.parents = {
            a.code: a for a in Area.objects.for_user(self.user, "change").filter(level__lt=AreaLevel.VILLAGE)
        }
        return super().run(uploaded, progress)

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        return self.unique(
            rows, "code", gettext_lazy("Division code"), _("This division code appears twice in the file.")
        )

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        existing = {a.code: a for a in in_batches(Area.objects.all(), "code", [r.values["code"] for r in rows])}
        created, updated, unchanged = [], [], 0
        for row in rows:
            v = row.values
            pinyin, initials = pinyin_of(v["name"])
            fields = {
                "name": v["name"],
                "parent": v["parent"],
                "level": v["parent"].level + 1,
                "pinyin": pinyin,
                "initials": initials,
                "is_poor": bool(v["is_poor"]),
                "lifted_year": v["lifted_year"] if v["is_poor"] else None,
            }
            area = existing.get(v["code"])
            if area is None:
                created.append(Area(code=v["code"], created_by=self.user, updated_by=self.user, **fields))
                continue
            before = area.audit_values()
            for key, value in fields.items():
                setattr(area, key, value)
            if area.audit_values() == before:
                unchanged += 1
            else:
                area.updated_by = self.user
                updated.append((before, area))
        Area.objects.bulk_create(created, batch_size=1000)
        Area.objects.bulk_update([a for _, a in updated], VILLAGE_FIELDS, batch_size=1000)
        audit.record_created(created, note="import")
        audit.record_updated(updated, note="import")
        self.changed = self.changed or bool(created or updated)
        return len(created), len(updated), unchanged

    def finish(self) -> tuple[int, int, int]:
        if self.changed:
            schedule_statistics_refresh(self.user)
        return 0, 0, 0


class HouseholdImporter(Importer):
    """Registered poor households of villages in the user's jurisdiction, with this year's income if given.

    Each batch is checked with one query per check (existing household numbers, ID blind indexes) and staged;
    `finish` merges the staged rows set-based (`household_merge`): new households inserted, changed ones updated,
    both audited row by row, equal ones left alone. An ID number is encrypted only when it is new to its household.
    """

    columns = [
        Column(
            "number",
            gettext_lazy("Household number"),
            example=EXAMPLE_HOUSEHOLD_NUMBER,
            text=True,
            max_length=32,
        ),
        Column("village_code", gettext_lazy("Village division code"), parse_code, example="340422105201", text=True),
        Column("head_name", gettext_lazy("Head of household"), example="王秀英", max_length=64),
        Column(
            "id_number",
            gettext_lazy("Citizen ID number"),
            validate_id_number,
            required=False,
            example="34042219650312022X",
            text=True,
        ),
        Column("phone", gettext_lazy("Phone"), validate_phone, required=False, example="13800000000", text=True),
        Column("members", gettext_lazy("Members"), parse_positive_int, example="4"),
        Column("main_cause", gettext_lazy("Main cause of poverty"), parse_cause, example="因病"),
        Column("other_causes", gettext_lazy("Other causes of poverty"), cause_list, required=False, example="缺技术"),
        Column("status", gettext_lazy("Status"), choice_parser(HouseholdStatus), required=False, example="未脱贫"),
        Column("lifted_year", gettext_lazy("Year lifted out of poverty"), parse_year, required=False, example=""),
        Column("income_year", gettext_lazy("Income year"), parse_year, required=False, example="2020"),
        # Below the 2020 poverty line, as a household still poor would be.
        Column(
            "income_per_capita", gettext_lazy("Income per capita (yuan)"), parse_money, required=False, example="3650"
        ),
    ]
    model = Household
    example_key = "number"

    def run(self, uploaded, progress=None):
        # Info officers change households but not areas: the villages are those the user *sees* and may register
        # households in.
        self.villages = {
            a.code: a
            for a in Area.objects.for_user(self.user).filter(level=AreaLevel.VILLAGE).only("id", "code", "level")
            if area_allows(self.user, a, Household.scope.change)
        }
        self.staging = None
        return super().run(uploaded, progress)

    def prepare(self, rows: list[Row]) -> None:
        """The batch's existing households (by number) and the owners of its ID numbers: two queries, unordered so
        that they need no join for the model's ordering."""
        for row in rows:
            if row.values["id_number"]:
                row.values["id_hash"] = blind_index(row.values["id_number"])
        households = Household.objects.order_by()
        self.existing = {
            h["number"]: h
            for h in households.filter(number__in_array=[r.values["number"] for r in rows]).values(
                "id", "number", "village__code", "id_number_hash", "id_number_encrypted", "id_number_masked"
            )
        }
        hashes = [r.values["id_hash"] for r in rows if r.values.get("id_hash")]
        self.owners = dict(households.filter(id_number_hash__in_array=hashes).values_list("id_number_hash", "number"))

    def check_row(self, row: Row) -> None:
        v = row.values
        village = self.villages.get(v["village_code"])
        if village is None:
            raise ValidationError({"village_code": _("Unknown village code.")})
        v["village"] = village
        known = self.existing.get(v["number"])
        if known is not None and known["village__code"] not in self.villages:
            raise ValidationError({"number": _("This household number belongs to another village.")})
        owner = self.owners.get(v.get("id_hash"))
        if owner is not None and owner != v["number"]:
            raise ValidationError({"id_number": _("This ID number is already registered to another household.")})
        if (v["income_year"] is None) != (v["income_per_capita"] is None):
            raise ValidationError({"income_per_capita": _("Give both the income year and the income, or neither.")})
        v["known"] = known

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        return self.unique(
            rows, "number", gettext_lazy("Household number"), _("This household number appears twice in the file.")
        ) + self.unique(
            rows, "id_hash", gettext_lazy("Citizen ID number"), _("This ID number appears twice in the file.")
        )

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        if self.staging is None:
            self.staging = household_merge.stage()
        self.staging.add(self._staged(row.values) for row in rows)
        return 0, 0, 0

    def finish(self) -> tuple[int, int, int]:
        if self.staging is None:
            return 0, 0, 0
        counts = household_merge.merge(self.staging, self.user)
        if counts[0] or counts[1]:
            schedule_statistics_refresh(self.user)
        return counts

    @staticmethod
    def _staged(v: dict) -> tuple:
        """A staging row; the ID fields are the stored ones when the file gives no ID or the same one."""
        known = v["known"]
        if v["id_number"] is None and known is not None:
            secret = (known["id_number_encrypted"], known["id_number_hash"], known["id_number_masked"])
        elif v["id_number"] is None:
            secret = ("", None, "")
        elif known is not None and known["id_number_hash"] == v["id_hash"]:
            secret = (known["id_number_encrypted"], v["id_hash"], known["id_number_masked"])
        else:
            secret = (encrypt(v["id_number"]), v["id_hash"], mask_id_number(v["id_number"]))
        return (
            v["number"],
            v["village"].pk,
            v["village_code"],
            v["head_name"],
            v["phone"] or "",
            v["members"],
            v["main_cause"],
            json.dumps(v["other_causes"] or []),
            v["status"] or HouseholdStatus.POOR,
            v["lifted_year"],
            *secret,
            known["id"] if known else None,
            v["income_year"],
            v["income_per_capita"],
            None,  # new_income: set by the merge
        )
