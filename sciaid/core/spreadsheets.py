"""Spreadsheet import and export, the way county staff keep their lists: `.xlsx` or `.csv`, Chinese or English headers.

An import reads every row, validates all of them, and writes only when none is wrong, in one transaction; the
report names each bad row, column and reason. Exports stream the rows of a (scoped) queryset.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class Column:
    """One column of a spreadsheet: its key, its (translatable) header, how to parse a cell, an example value."""

    key: str
    header: Any
    parse: Callable[[str], Any] = str
    required: bool = True
    example: str = ""

    def headers(self) -> set[str]:
        """The header in every language, so a Chinese template and an English one both import."""
        names = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(normalise_header(force_str(self.header)))
        return names


def normalise_header(text: str) -> str:
    return "".join(str(text or "").split()).lower().rstrip("*")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)


def read_rows(uploaded, columns: list[Column]) -> list[Row]:
    """Read an uploaded .xlsx or .csv into rows keyed by column key; raise SpreadsheetError for an unusable file."""
    name = (getattr(uploaded, "name", "") or "").lower()
    uploaded.seek(0)
    data = uploaded.read()
    if name.endswith(".csv"):
        table = _read_csv(data)
    elif name.endswith(".xlsx"):
        table = _read_xlsx(data)
    else:
        raise SpreadsheetError(_("Please upload an .xlsx or .csv file."))
    return _keyed_rows(table, columns)


def _read_csv(data: bytes) -> Iterator[list[str]]:
    # Excel in China saves CSV as GB18030 unless told otherwise; UTF-8 files often carry a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GB18030 text."))
    return csv.reader(io.StringIO(text))


def _read_xlsx(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("This file is not a readable .xlsx workbook.")) from exc
    sheet = book.worksheets[0]
    return ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Long numbers typed into a number cell (phones) come back as floats; ID numbers lose digits and fail checks.
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value).strip()


def _keyed_rows(table: Iterable[list[str]], columns: list[Column]) -> list[Row]:
    iterator = iter(table)
    header = next(iterator, None)
    if not header or not any(header):
        raise SpreadsheetError(_("The file has no header row."))
    by_header = {name: column for column in columns for name in column.headers()}
    positions: dict[int, Column] = {}
    for index, text in enumerate(header):
        column = by_header.get(normalise_header(text))
        if column:
            positions[index] = column
    missing = [force_str(c.header) for c in columns if c.required and c not in positions.values()]
    if missing:
        raise SpreadsheetError(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    rows = []
    for number, cells in enumerate(iterator, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        rows.append(
            Row(
                number, {col.key: str(cells[i] or "").strip() if i < len(cells) else "" for i, col in positions.items()}
            )
        )
    return rows


class Importer:
    """Validate all rows, then write all of them in one transaction — or none.

    Subclasses give `columns`, may check a row beyond its cells in `check_row` (lookups, cross-field rules), check
    the rows against each other in `check_rows` (duplicates inside the file), and write clean rows in `write`.
    """

    columns: list[Column] = []
    #: Rows checked between two progress reports.
    chunk = 500

    def __init__(self, user):
        self.user = user

    def check_row(self, row: Row) -> None:
        """Raise ValidationError({column key: message}) for what is wrong with a row whose cells parsed."""

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        return []

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        """Write the clean rows; return (created, updated, unchanged)."""
        raise NotImplementedError

    def run(self, uploaded, progress: Callable[[int, int], None] | None = None) -> ImportReport:
        try:
            rows = read_rows(uploaded, self.columns)
        except SpreadsheetError as exc:
            return ImportReport(errors=[RowError(1, "", str(exc))])
        report = ImportReport(total=len(rows))
        for start in range(0, len(rows), self.chunk):
            for row in rows[start : start + self.chunk]:
                report.errors.extend(self._clean(row))
            if progress:
                progress(min(start + self.chunk, len(rows)), len(rows))
        if not report.errors:
            report.errors.extend(self.check_rows(rows))
        if report.errors:
            report.errors.sort(key=lambda e: e.row)
            return report
        with transaction.atomic():
            report.created, report.updated, report.unchanged = self.write(rows)
        return report

    def _clean(self, row: Row) -> list[RowError]:
        errors = []
        for column in self.columns:
            text = row.cells.get(column.key, "")
            if not text:
                if column.required:
                    errors.append(RowError(row.number, force_str(column.header), _("This cell is required.")))
                row.values[column.key] = None
                continue
            try:
                row.values[column.key] = column.parse(text)
            except ValidationError as exc:
                errors.append(RowError(row.number, force_str(column.header), " ".join(exc.messages)))
        if errors:
            return errors
        try:
            self.check_row(row)
        except ValidationError as exc:
            headers = {c.key: force_str(c.header) for c in self.columns}
            by_key = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for key, messages in by_key.items():
                errors.extend(RowError(row.number, headers.get(key, ""), m) for m in messages)
        return errors

    @classmethod
    def template(cls, fmt: str) -> HttpResponse:
        """A blank file with the headers (in the user's language) and one example row."""
        headers = [force_str(c.header) + ("*" if c.required else "") for c in cls.columns]
        example = [c.example for c in cls.columns]
        return export_response([headers, example], fmt, "template", header_is_first_row=True)


def export_response(rows: Iterable[list[Any]], fmt: str, filename: str, header_is_first_row: bool = True):
    """Stream rows as .csv, or write them to an .xlsx where every cell is text (so ID numbers keep their digits)."""
    if fmt == "csv":
        pseudo = _Echo()
        writer = csv.writer(pseudo)
        body = (writer.writerow([_export_text(v) for v in row]) for row in rows)
        response = StreamingHttpResponse(_with_bom(body), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append([_export_text(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _export_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return force_str(value)


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    # Excel opens UTF-8 CSV with Chinese correctly only when it starts with a BOM.
    yield "\ufeff"
    yield from lines


class _Echo:
    def write(self, value: str) -> str:
        return value
