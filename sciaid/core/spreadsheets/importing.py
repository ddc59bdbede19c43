"""The one import mechanism every importer uses: stream, validate in batches, write, all in one transaction.

For each batch of rows (`Importer.chunk`): every cell is parsed, `prepare` fetches what the batch's checks need in
one query per check (existing keys, ID blind indexes, areas by code), `check_row` applies the per-row rules to those
maps, `check_rows` the rules between rows — and while no row anywhere is wrong, `write` stores the batch. At the
end `finish` completes the writing (a staged merge, say). Any error rolls the whole transaction back, so a file is
imported entirely or not at all; the report names each bad row, column and reason (the first
`IMPORT_MAX_ERRORS`, and how many there were). A successful import leaves one summary entry in the audit log and
sends `sciaid.core.signals.imported` once committed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from sciaid.core.context import current_actor
from sciaid.core.models import ChangeAction, ObjectChange
from sciaid.core.signals import imported
from sciaid.core.spreadsheets.exporting import TEXT_FORMAT, export_response, xlsx_response
from sciaid.core.spreadsheets.reading import SCIENTIFIC, Column, Row, SpreadsheetError, read_rows
from sciaid.core.spreadsheets.staging import KeysMet


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
    #: The first IMPORT_MAX_ERRORS problems, by row; `error_count` is how many there were in all.
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    #: Rows left out because they are the template's example row, kept in the file as downloaded.
    examples: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < settings.IMPORT_MAX_ERRORS:
                self.errors.append(error)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
            "error_count": self.error_count,
            "examples": self.examples,
        }


class _Refused(Exception):
    """Raised inside the import's transaction to roll it back once a row is wrong."""


class Importer:
    """Validate and write a file in batches, in one transaction — all rows or none.

    Subclasses give `columns` and `model` (what the audit summary names); `prepare` a batch's lookups; check a row
    beyond its cells in `check_row` using them; check rows against each other in `check_rows` (`self.unique` keeps
    keys across batches); store clean rows in `write`, and complete in `finish`.

    The template's example row is never written: left in the file as downloaded it is skipped and the report says
    so. Where the example's key (`example_key`, e.g. the household number) would name a real record, the example
    uses a value reserved for it, and a row that edits the example but keeps that value is refused rather than
    allowed to overwrite anything.
    """

    columns: list[Column] = []
    model: type[models.Model] | None = None
    #: The column whose example value is reserved for the example row (never a real record's key).
    example_key = ""
    #: Rows read, checked and written at a time (and between two progress reports).
    chunk = 2000

    def __init__(self, user):
        self.user = user
        self._keys: KeysMet | None = None

    def prepare(self, rows: list[Row]) -> None:
        """Fetch, for a batch of rows whose cells parsed, what `check_row` needs: one query per check."""

    def check_row(self, row: Row) -> None:
        """Raise ValidationError({column key: message}) for what is wrong with a row whose cells parsed."""

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        """Rules between the rows of a batch that passed `check_row` (and, through `unique`, earlier batches)."""
        return []

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        """Write a batch of clean rows (inside the import's transaction); return (created, updated, unchanged)."""
        raise NotImplementedError

    def finish(self) -> tuple[int, int, int]:
        """Complete what `write` staged, once every row is known to be good; return more (created, updated,
        unchanged)."""
        return 0, 0, 0

    def first_rows(self, name: str, keys: dict[Hashable, int]) -> dict[Hashable, int]:
        """For each key under `name` of a batch (with the batch's row that first has it), the file's row that first
        had it: an earlier batch's, or the batch's own. Kept in a table, not in memory (`KeysMet`)."""
        if self._keys is None:
            self._keys = KeysMet()
        return self._keys.first_rows(name, keys)

    def repeated(self, rows: list[Row], name: str, key_of: Callable[[Row], Hashable | None]) -> list[tuple[Row, int]]:
        """(row, the row that first had its key) for each row whose key (`key_of`; None for none) an earlier row of
        the file, in any batch, already had."""
        keyed = [(row, key) for row in rows if (key := key_of(row)) is not None]
        batch: dict[Hashable, int] = {}
        for row, key in keyed:
            batch.setdefault(key, row.number)
        first = self.first_rows(name, batch)
        return [(row, first[key]) for row, key in keyed if first[key] != row.number]

    def unique(self, rows: list[Row], key: str, header, message: str) -> list[RowError]:
        """A row error for each row whose `key` value an earlier row of the file (any batch) already has."""
        repeats = self.repeated(rows, key, lambda row: None if row.values.get(key) in (None, "") else row.values[key])
        where = _("first at row %(n)s")
        return [
            RowError(row.number, force_str(header), f"{message} ({where % {'n': first}})") for row, first in repeats
        ]

    def run(self, uploaded, progress: Callable[[int, int], None] | None = None) -> ImportReport:
        report = ImportReport()
        try:
            sheet = read_rows(uploaded, self.columns)
        except SpreadsheetError as exc:
            report.add_errors([RowError(exc.row, "", str(exc))])
            return report
        try:
            with transaction.atomic():
                self._import(sheet, report, progress)
                transaction.on_commit(lambda: imported.send(sender=type(self), user=self.user, report=report))
        except _Refused:
            report.created = report.updated = report.unchanged = 0
        except SpreadsheetError as exc:
            report.created = report.updated = report.unchanged = 0
            report.add_errors([RowError(exc.row, "", str(exc))])
        finally:
            sheet.close()
        report.errors.sort(key=lambda e: e.row)
        return report

    def _import(self, sheet, report: ImportReport, progress) -> None:
        counts = [0, 0, 0]
        for batch in _batches(self._data_rows(sheet, report), self.chunk):
            clean = self._check(batch, report)
            if report.ok:
                counts = [a + b for a, b in zip(counts, self.write(clean), strict=True)]
            if progress:
                progress(report.total, max(sheet.estimate, report.total))
        if not report.ok:
            raise _Refused
        counts = [a + b for a, b in zip(counts, self.finish(), strict=True)]
        if self._keys is not None:
            self._keys.drop()
        report.created, report.updated, report.unchanged = counts
        if report.total:
            self._audit_summary(report)

    def _data_rows(self, sheet, report: ImportReport) -> Iterator[Row]:
        examples = {column.key: column.example for column in self.columns}
        for row in sheet:
            if self._is_example(row, examples):
                report.examples.append(row.number)
                continue
            report.total += 1
            yield row

    def _check(self, batch: list[Row], report: ImportReport) -> list[Row]:
        """Parse and check a batch; report its errors; return its rows that are good so far."""
        parsed = _passing(batch, self._parse, report)
        if parsed:
            self.prepare(parsed)
        clean = _passing(parsed, self._checked, report)
        report.add_errors(self.check_rows(clean))
        return clean

    @classmethod
    def is_example(cls, row: Row) -> bool:
        """Whether the row is the template's example row as downloaded (every cell it has, as the template wrote it)."""
        return cls._is_example(row, {column.key: column.example for column in cls.columns})

    @staticmethod
    def _is_example(row: Row, examples: dict[str, str]) -> bool:
        return any(row.cells.values()) and all(text == examples[key] for key, text in row.cells.items())

    def _parse(self, row: Row) -> list[RowError]:
        errors = []
        cells, values = row.cells, row.values
        for column in self.columns:
            text = cells.get(column.key, "")
            if not text:
                if column.required:
                    errors.append(RowError(row.number, force_str(column.header), _("This cell is required.")))
                values[column.key] = None
                continue
            problem = self._cell_problem(column, text) if _unusual(column, text, self.example_key) else ""
            if not problem:
                try:
                    values[column.key] = column.parse(text)
                    continue
                except ValidationError as exc:
                    problem = self._parse_problem(row, column, exc)
            errors.append(RowError(row.number, force_str(column.header), problem))
        return errors

    def _checked(self, row: Row) -> list[RowError]:
        try:
            self.check_row(row)
        except ValidationError as exc:
            headers = {c.key: force_str(c.header) for c in self.columns}
            by_key = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            return [RowError(row.number, headers.get(key, ""), m) for key, messages in by_key.items() for m in messages]
        return []

    def _cell_problem(self, column: Column, text: str) -> str:
        """What makes a filled cell unusable before it is parsed, or "" when nothing does."""
        if "\x00" in text:
            return _("This cell holds a NUL character (binary data, not text); type the value again.")
        if column.max_length and len(text) > column.max_length:
            return _("At most %(limit)d characters; this cell has %(count)d.") % {
                "limit": column.max_length,
                "count": len(text),
            }
        if SCIENTIFIC.match(text):
            return _(
                "Excel turned this cell into the number %(value)s and lost digits. Format the column as text, type "
                "the value again and save the file."
            ) % {"value": text}
        if column.key == self.example_key and text == column.example:
            return _("%(value)s is the template's example; give this row its own value.") % {"value": text}
        return ""

    @staticmethod
    def _parse_problem(row: Row, column: Column, exc: ValidationError) -> str:
        message = " ".join(exc.messages)
        if column.text and column.key in row.numbers:
            message += " " + _(
                "Excel stored this cell as a number, which loses a leading 0, a final X and every digit after "
                "the 15th: format the column as text and type the value again."
            )
        return message

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
        return xlsx_response(book, "template")

    def _audit_summary(self, report: ImportReport) -> None:
        """One audit entry for the whole import; the rows that changed have their own."""
        actor = current_actor()
        area = self.user.primary_area() if self.user is not None else None
        ObjectChange.objects.create(
            user=self.user,
            user_name=self.user.get_username() if self.user is not None else "",
            request_id=actor.request_id if actor else "",
            action=ChangeAction.IMPORT,
            content_type=ContentType.objects.get_for_model(self.model or ObjectChange),
            object_id="",
            object_repr=f"{type(self).__name__}: {report.total} rows",
            area_code=area.code if area else "",
            after={k: v for k, v in report.as_dict().items() if k not in {"errors", "error_count"}},
        )


def _unusual(column: Column, text: str, example_key: str) -> bool:
    """Whether a cell needs a closer look before parsing (a cheap test: most cells do not)."""
    return (
        "\x00" in text
        or (column.max_length is not None and len(text) > column.max_length)
        or "E" in text
        or "e" in text
        or column.key == example_key
    )


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _passing(rows: list[Row], check: Callable[[Row], list[RowError]], report: ImportReport) -> list[Row]:
    """The rows `check` finds nothing wrong with; what it finds in the others goes into the report."""
    passing = []
    for row in rows:
        errors = check(row)
        if errors:
            report.add_errors(errors)
        else:
            passing.append(row)
    return passing
