"""Reading an uploaded `.xlsx` or `.csv` one row at a time, so that memory does not grow with the file.

A file is refused as a whole (`SpreadsheetError`) when it cannot be read: wrong type, corrupt zip, a workbook with
no sheet, no header, missing columns, a cell over 128 KiB, text neither UTF-8 nor GB18030, more rows than
`IMPORT_MAX_ROWS`. The row count is not trusted from the file: an `.xlsx` `<dimension>` tag only estimates progress,
and every row the sheet really holds is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

#: Excel keeps 15 significant digits: a longer number typed into a number cell has already lost its last digits.
EXCEL_DIGITS = 15
#: The longest cell a CSV may hold (Python's csv default; a bigger one is a sign of a broken or hostile file).
MAX_CELL_BYTES = 128 * 1024
#: What the shared strings of an .xlsx may declare unpacked: they are held in memory while the sheet streams.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
#: Bytes read at a time when sniffing the encoding and estimating the rows of a CSV.
CHUNK_BYTES = 1024 * 1024
#: Errors opening or reading a workbook whose zip or XML is damaged.
XLSX_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    OSError,
    ValueError,
    EOFError,
    ParseError,
)

csv.field_size_limit(MAX_CELL_BYTES)


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; `row` is where reading stopped (1 for the file or its header)."""

    def __init__(self, message: str, row: int = 1):
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class Column:
    """One column of a spreadsheet: its key, its (translatable) header, how to parse a cell, an example value.

    `text` marks identifiers made of digits (ID numbers, phones, division codes, household numbers): the template
    formats the column as text so that Excel keeps them as typed, and a cell that still arrives as a number gets a
    message saying so. `max_length` is the model column's: a longer cell is a row error, never a database error.
    """

    key: str
    header: Any
    parse: Callable[[str], Any] = str
    required: bool = True
    example: str = ""
    text: bool = False
    max_length: int | None = None

    def headers(self) -> set[str]:
        """The header in every language, so a Chinese template and an English one both import."""
        names = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(normalise_header(force_str(self.header)))
        return names


def normalise_header(text: Any) -> str:
    return "".join(str(text or "").split()).lower().rstrip("*")


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    #: Keys of the cells that an .xlsx file held as numbers rather than text.
    numbers: frozenset[str] = frozenset()


class Sheet:
    """The data rows of an opened file, read lazily; `estimate` is what the file says it holds (for progress)."""

    def __init__(self, rows: Iterator[Row], estimate: int, close: Callable[[], None] = lambda: None):
        self.rows = rows
        self.estimate = estimate
        self.close = close

    def __iter__(self) -> Iterator[Row]:
        return self.rows


def read_rows(uploaded, columns: list[Column]) -> Sheet:
    """Open an uploaded .xlsx or .csv and read its header; the rows follow as the sheet is iterated."""
    table, estimate, close = open_table(uploaded)
    try:
        positions = _positions(next(table, None), columns)
    except SpreadsheetError:
        close()
        raise
    return Sheet(_keyed_rows(table, positions), estimate, close)


def open_table(uploaded) -> tuple[Iterator[tuple | list], int, Callable[[], None]]:
    """The file's rows as cell lists, an estimate of its data rows and how to close it; refused when unreadable."""
    name = (getattr(uploaded, "name", "") or "").lower()
    uploaded.seek(0)
    if name.endswith(".csv"):
        return _csv_table(uploaded)
    if name.endswith(".xlsx"):
        return _xlsx_table(uploaded)
    raise SpreadsheetError(_("Please upload an .xlsx or .csv file."))


def count_rows(uploaded, limit: int) -> int:
    """The data rows of a file, counted while streaming and stopped past `limit` (enough to choose job or not)."""
    try:
        table, _estimate, close = open_table(uploaded)
    except SpreadsheetError:
        return 0
    count = -1  # the header
    try:
        for count, _row in enumerate(table):
            if count > limit:
                break
    except SpreadsheetError:
        pass
    finally:
        close()
        uploaded.seek(0)
    return max(count, 0)


def _csv_table(uploaded) -> tuple[Iterator[list[str]], int, Callable[[], None]]:
    encoding = _csv_encoding(uploaded.read(CHUNK_BYTES))
    uploaded.seek(0)
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: uploaded.read(CHUNK_BYTES), b""))
    uploaded.seek(0)
    text = io.TextIOWrapper(_Binary(uploaded), encoding=encoding, newline="")
    return _checked_csv(csv.reader(text)), max(lines - 1, 0), text.detach


def _csv_encoding(head: bytes) -> str:
    # Excel in China saves CSV as GB18030 unless told otherwise; UTF-8 files often carry a BOM.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _checked_csv(reader) -> Iterator[list[str]]:
    """Rows of a CSV reader, each failure of the file (huge cell, broken quoting, bad text) a clear refusal."""
    try:
        yield from reader
    except csv.Error as exc:
        raise SpreadsheetError(
            _("A cell is longer than %(limit)s KiB, or the row is not valid CSV.") % {"limit": MAX_CELL_BYTES // 1024},
            reader.line_num + 1,
        ) from exc
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GB18030 text."), reader.line_num + 1) from exc


class _Binary(io.RawIOBase):
    """A Django upload as a raw stream that `io.TextIOWrapper` can decode without reading it all."""

    def __init__(self, uploaded):
        self.uploaded = uploaded

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.uploaded.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _xlsx_table(uploaded) -> tuple[Iterator[tuple], int, Callable[[], None]]:
    """The first sheet's rows as the cells' own values: numbers stay numbers here, so rows can say which were."""
    unreadable = _("This file is not a readable .xlsx workbook.")
    try:
        with zipfile.ZipFile(uploaded) as archive:
            shared = sum(i.file_size for i in archive.infolist() if i.filename.endswith("sharedStrings.xml"))
        if shared > MAX_SHARED_STRINGS_BYTES:
            raise SpreadsheetError(_("The workbook's text is too large to import; split the file."))
        uploaded.seek(0)
        book = load_workbook(uploaded, read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise SpreadsheetError(unreadable) from exc
    if not book.worksheets:
        book.close()
        raise SpreadsheetError(_("The workbook has no sheet."))
    sheet = book.worksheets[0]
    declared = sheet.max_row if sheet.max_row and sheet.max_row > 1 else 0
    # The <dimension> tag may understate the sheet (or be absent): read every row there is, not what it claims.
    sheet.reset_dimensions()
    return _checked_xlsx(sheet.iter_rows(values_only=True), unreadable), max(declared - 1, 0), book.close


def _checked_xlsx(rows: Iterator[tuple], message: str) -> Iterator[tuple]:
    number = 0
    try:
        for number, row in enumerate(rows, start=1):  # noqa: B007 — the number says where a damaged file stopped
            yield row
    except XLSX_ERRORS as exc:
        raise SpreadsheetError(message, number + 1) from exc


def _positions(header, columns: list[Column]) -> dict[int, Column]:
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
    return positions


def _keyed_rows(table: Iterable, positions: dict[int, Column]) -> Iterator[Row]:
    """Data rows keyed by column, blank rows skipped; more than IMPORT_MAX_ROWS rows refuse the file."""
    limit = settings.IMPORT_MAX_ROWS
    keyed = [(index, column.key) for index, column in positions.items()]
    for number, cells in enumerate(table, start=2):
        if number - 1 > limit:
            raise SpreadsheetError(
                _("The file has more than %(limit)s rows; split it into smaller files.") % {"limit": f"{limit:,}"},
                number,
            )
        width = len(cells)
        if isinstance(cells, list):  # a CSV row: text only
            texts = {key: cells[index].strip() if index < width else "" for index, key in keyed}
            numbers = frozenset()
        else:
            texts = {key: _cell_text(cells[index]) if index < width else "" for index, key in keyed}
            numbers = frozenset(key for index, key in keyed if index < width and _is_number(cells[index]))
        if not any(texts.values()) and not any(_cell_text(cell) for cell in cells):
            continue
        yield Row(number, texts, numbers=numbers)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
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


#: How Excel shows (and saves to CSV) a long number in a General cell: 3.40422E+17.
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?E\+?\d+$", re.IGNORECASE)
