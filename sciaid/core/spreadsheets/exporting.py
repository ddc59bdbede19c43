"""Exports and templates: rows streamed as `.csv` or written to an `.xlsx` where every cell is text.

A text cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
written with a leading apostrophe, so the file shows the text and runs nothing (CSV injection); a cell that is
plainly a number, such as -2.5, stays as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
#: Excel's number format "Text": what is typed stays as typed (no 3.40422E+17, no lost final X or leading zero).
TEXT_FORMAT = "@"
#: What starts a formula in Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def export_response(rows: Iterable[list[Any]], fmt: str, filename: str):
    """Stream rows as .csv, or write them to an .xlsx where every cell is text (so ID numbers keep their digits)."""
    if fmt == "csv":
        pseudo = _Echo()
        writer = csv.writer(pseudo)
        body = (writer.writerow([export_text(v) for v in row]) for row in rows)
        response = StreamingHttpResponse(_with_bom(body), content_type=CSV_TYPE)
    elif fmt == "xlsx":
        return xlsx_response(xlsx_workbook(rows), filename)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def xlsx_workbook(rows: Iterable[list[Any]]) -> Workbook:
    """Rows in a streaming (write-only) workbook where every cell is text, so ID numbers keep their digits."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append([export_text(v) for v in row])
    return book


def write_export(rows: Iterable[list[Any]], fmt: str, target: BinaryIO) -> None:
    """Write the whole file into `target` (an export job keeps it): the same content a download of the rows streams."""
    if fmt == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8", newline="")
        text.write("\ufeff")
        csv.writer(text).writerows([export_text(v) for v in row] for row in rows)
        text.flush()
        text.detach()
    elif fmt == "xlsx":
        xlsx_workbook(rows).save(target)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def xlsx_response(book: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_text(value: Any) -> str:
    """A cell's text as a spreadsheet will show it, never as a formula it would run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = force_str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    # Excel opens UTF-8 CSV with Chinese correctly only when it starts with a BOM.
    yield "\ufeff"
    yield from lines


class _Echo:
    def write(self, value: str) -> str:
        return value
