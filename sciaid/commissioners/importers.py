"""What the commissioners' spreadsheet importers share (rosters in `selection/importers.py`, paper service logs in
`logs/importers.py`): experts are found by name and phone among those the importing user may see (they are
registered under Experts first), and an exported list uses the importer's headers so it imports back unchanged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sciaid.core.spreadsheets import Column, Row
from sciaid.experts.models import Expert


class ExpertLookup:
    """Experts the user may see, keyed by (name, phone)."""

    def __init__(self, user):
        self.found = {(e.name, e.phone): e for e in Expert.objects.for_user(user).filter(is_active=True)}

    def get(self, row: Row) -> Expert:
        expert = self.found.get((row.values["name"], row.values["phone"]))
        if expert is None:
            raise ValidationError({"name": _("No expert with this name and phone in your jurisdiction.")})
        return expert


def header(columns: list[Column], key: str):
    """An importer's header for a column, so an exported list imports back unchanged."""
    return next(column.header for column in columns if column.key == key)
