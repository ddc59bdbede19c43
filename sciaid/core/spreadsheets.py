"""Spreadsheet import and export, the way county staff keep their lists: `.xlsx` or `.csv`, Chinese or English headers.

An import reads every row, validates all of them, and writes only when none is wrong, in one transaction; the
report names each bad row, column and reason. Exports stream the rows of a (scoped) queryset.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
#: Excel's number format "Text": what is typed stays as typed (no 3.40422E+17, no lost final X or leading zero).
TEXT_FORMAT = "@"
#: Excel keeps 15 significant digits: a longer number typed into a number cell has already lost its last digits.
EXCEL_DIGITS = 15
#: How Excel shows (and saves to CSV) a long number in a General cell: 3.40422E+17.
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?E\+?\d+$", re.IGNORECASE)


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, no header, missing columns)."""


@dataclass(frozen=True)
class Column:
    """One column of a spreadsheet: its key, its (translatable) header, how to parse a cell, an example value.

    `text` marks identifiers made of digits (ID numbers, phones, division codes, household numbers): the template
    formats the column as text so that Excel keeps them as typed, and a cell that still arrives as a number gets a
    message saying so.
    """

    key: str
    header: Any
    parse: Callable[[str], Any] = str
    required: bool = True
    example: str = ""
    text: bool = False

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
    #: Rows left out because they are the template's example row, kept in the file as downloaded.
    examples: list[int] = field(default_factory=list)

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
            "examples": self.examples,
        }


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    #: Keys of the cells that an .xlsx file held as numbers rather than text.
    numbers: frozenset[str] = frozenset()


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


def _read_xlsx(data: bytes) -> Iterator[tuple]:
    """The sheet's rows as the cells' own values: numbers stay numbers here, so rows can say which cells were."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("This file is not a readable .xlsx workbook.")) from exc
    sheet = book.worksheets[0]
    return sheet.iter_rows(values_only=True)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 10**EXCEL_DIGITS:
            # Excel kept only the first 15 digits; show the number as Excel does, so the report can say so.
            mantissa, exponent = f"{value:.5E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exponent}"
        # Phones typed into a number cell come back as floats; their digits are all there.
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value).strip()


def parse_day(text: str) -> date:
    """A date cell as people fill it in: 2020-05-22 or 2020/05/22, a time after it ignored (date cells of a workbook
    arrive in the first form)."""
    try:
        return date.fromisoformat(text.strip()[:10].replace("/", "-"))
    except ValueError:
        raise ValidationError(_("Write the date as 2020-05-22.")) from None


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
        if not any(_cell_text(c) for c in cells):
            continue
        present = {i: col for i, col in positions.items() if i < len(cells)}
        rows.append(
            Row(
                number,
                {col.key: _cell_text(cells[i]) if i in present else "" for i, col in positions.items()},
                numbers=frozenset(col.key for i, col in present.items() if _is_number(cells[i])),
            )
        )
    return rows


class Importer:
    """Validate all rows, then write all of them in one transaction — or none.

    Subclasses give `columns`, may check a row beyond its cells in `check_row` (lookups, cross-field rules), check
    the rows against each other in `check_rows` (duplicates inside the file), and write clean rows in `write`.

    The template's example row is never written: left in the file as downloaded it is skipped and the report says
    so. Where the example's key (`example_key`, e.g. the household number) would name a real record, the example
    uses a value reserved for it, and a row that edits the example but keeps that value is refused rather than
    allowed to overwrite anything.
    """

    columns: list[Column] = []
    #: The column whose example value is reserved for the example row (never a real record's key).
    example_key = ""
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
        examples = [row.number for row in rows if self.is_example(row)]
        if examples:
            rows = [row for row in rows if row.number not in examples]
        report = ImportReport(total=len(rows), examples=examples)
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

    @classmethod
    def is_example(cls, row: Row) -> bool:
        """Whether the row is the template's example row as downloaded (every cell it has, as the template wrote it)."""
        examples = {column.key: column.example for column in cls.columns}
        return any(row.cells.values()) and all(text == examples[key] for key, text in row.cells.items())

    def _clean(self, row: Row) -> list[RowError]:
        errors = []
        for column in self.columns:
            text = row.cells.get(column.key, "")
            if not text:
                if column.required:
                    errors.append(RowError(row.number, force_str(column.header), _("This cell is required.")))
                row.values[column.key] = None
                continue
            problem = self._cell_problem(row, column, text)
            if problem:
                errors.append(RowError(row.number, force_str(column.header), problem))
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

    def _cell_problem(self, row: Row, column: Column, text: str) -> str:
        """Parse one filled cell into `row.values`; return what is wrong with it, or "" when nothing is."""
        if SCIENTIFIC.match(text):
            return _(
                "Excel turned this cell into the number %(value)s and lost digits. Format the column as text, type "
                "the value again and save the file."
            ) % {"value": text}
        if column.key == self.example_key and text == column.example:
            return _("%(value)s is the template's example; give this row its own value.") % {"value": text}
        try:
            row.values[column.key] = column.parse(text)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if column.text and column.key in row.numbers:
                message += " " + _(
                    "Excel stored this cell as a number, which loses a leading 0, a final X and every digit after "
                    "the 15th: format the column as text and type the value again."
                )
            return message
        return ""

    @classmethod
    def template(cls, fmt: str) -> HttpResponse:
        """A file with the headers (in the user's language) and one example row, which an import skips.

        In the .xlsx template the identifier columns are formatted as text, so Excel keeps what people type there.
        """
        headers = [force_str(c.header) + ("*" if c.required else "") for c in cls.columns]
        example = [c.example for c in cls.columns]
        if fmt != "xlsx":
            return export_response([headers, example], fmt, "template")
        book = Workbook()
        sheet = book.active
        sheet.append(headers)
        sheet.append(example)
        for index, column in enumerate(cls.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(headers[index - 1]) * 2, len(column.example) + 2)
            if column.text:
                # The column's own format covers the cells people will type into, the example's cell its value.
                sheet.column_dimensions[letter].number_format = TEXT_FORMAT
                sheet.cell(row=2, column=index).number_format = TEXT_FORMAT
        return _xlsx_response(book, "template")


def export_response(rows: Iterable[list[Any]], fmt: str, filename: str):
    """Stream rows as .csv, or write them to an .xlsx where every cell is text (so ID numbers keep their digits)."""
    if fmt == "csv":
        pseudo = _Echo()
        writer = csv.writer(pseudo)
        body = (writer.writerow([_export_text(v) for v in row]) for row in rows)
        response = StreamingHttpResponse(_with_bom(body), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        return _xlsx_response(xlsx_workbook(rows), filename)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def xlsx_workbook(rows: Iterable[list[Any]]) -> Workbook:
    """Rows in a streaming (write-only) workbook where every cell is text, so ID numbers keep their digits."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append([_export_text(v) for v in row])
    return book


def write_export(rows: Iterable[list[Any]], fmt: str, target: BinaryIO) -> None:
    """Write the whole file into `target` (an export job keeps it): the same content a download of the rows streams."""
    if fmt == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8", newline="")
        text.write("\ufeff")
        csv.writer(text).writerows([_export_text(v) for v in row] for row in rows)
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        xlsx_workbook(rows).save(target)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
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
