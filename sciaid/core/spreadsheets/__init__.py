"""Spreadsheet import and export, the way county staff keep their lists: `.xlsx` or `.csv`, Chinese or English headers.

One mechanism for every importer (`importing.Importer`): the file streams (`reading`), rows are validated in batches
with one query per check, written in one transaction or not at all, and the report names each bad row, column and
reason. Exports (`exporting`) stream the rows of a (scoped) queryset with formulas neutralised; `staging` holds the
set-based writing (PostgreSQL COPY, SQLite executemany) that large importers use.
"""

from sciaid.core.spreadsheets.exporting import (
    CSV_TYPE,
    FORMATS,
    TEXT_FORMAT,
    XLSX_TYPE,
    export_response,
    export_text,
    write_export,
    xlsx_workbook,
)
from sciaid.core.spreadsheets.importing import Importer, ImportReport, RowError
from sciaid.core.spreadsheets.reading import (
    Column,
    Row,
    SpreadsheetError,
    count_rows,
    normalise_header,
    parse_day,
    read_rows,
)

__all__ = [
    "CSV_TYPE",
    "FORMATS",
    "TEXT_FORMAT",
    "XLSX_TYPE",
    "Column",
    "ImportReport",
    "Importer",
    "Row",
    "RowError",
    "SpreadsheetError",
    "count_rows",
    "export_response",
    "export_text",
    "normalise_header",
    "parse_day",
    "read_rows",
    "write_export",
    "xlsx_workbook",
]
