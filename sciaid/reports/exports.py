"""The rows of a dashboard table as a spreadsheet (`?export=xlsx&table=<name>`): its header and the same numbers
the page shows, written by the platform's export helper (`sciaid.core.spreadsheets.export_response`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def table_rows(table: dict) -> Iterator[list[Any]]:
    """The header row (translated), then one row per line of the table, values unformatted ("287606.00")."""
    yield [str(column) for column in table["columns"]]
    for row in table["export"]:
        yield ["" if value is None else value for value in row]
