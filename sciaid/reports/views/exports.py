"""The rows of a dashboard table as a spreadsheet (`?export=xlsx&table=<name>`): its header and the same numbers
the page shows, written by the platform's export helper (`sciaid.core.spreadsheets.export_response`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from sciaid.core.spreadsheets import FORMATS, export_response


def table_rows(table: dict) -> Iterator[list[Any]]:
    """The header row (translated), then one row per line of the table, values unformatted ("287606.00")."""
    yield [str(column) for column in table["columns"]]
    for row in table["export"]:
        yield ["" if value is None else value for value in row]


def export_table(figures: dict | None, request: HttpRequest) -> HttpResponse:
    """The table `?table=` of the page's figures in the format `?export=`; an unknown table or format (or figures
    the form refused) is a 404."""
    fmt = request.GET.get("export")
    table = figures and figures["tables"].get(request.GET.get("table", ""))
    if fmt not in FORMATS or not table:
        raise Http404
    return export_response(table_rows(table), fmt, f"dashboard-{table['name']}-{figures['slug']}")
