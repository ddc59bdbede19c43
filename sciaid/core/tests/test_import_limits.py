"""What an import does with files that are broken, hostile or huge: a clear report, nothing written, never a 500;
and exports that never hand a spreadsheet a formula to run."""

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import load_workbook

from sciaid.core.models import ObjectChange
from sciaid.core.signals import imported
from sciaid.core.spreadsheets import Column, RowError, count_rows, export_response, write_export
from sciaid.core.tests.test_spreadsheets import COLUMNS, Roster, csv_file, xlsx_file

HEADER = "户主姓名,人口数,备注\n"


class Names(Roster):
    """The test roster with a note column as long as a model's (16 characters)."""

    columns = [*COLUMNS[:2], Column("note", "备注", required=False, max_length=16)]

    def write(self, rows):
        self.written += [row.values for row in rows]
        return len(rows), 0, 0


def run(upload) -> tuple[list[tuple[int, str]], Names]:
    importer = Names()
    with translation.override("en"):
        report = importer.run(upload)
    return [(e.row, e.message) for e in report.errors], importer


def rewritten(upload: SimpleUploadedFile, member: str, change) -> SimpleUploadedFile:
    """The workbook with one of its zip members changed by `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            archive.writestr(info, change(data) if info.filename == member else data)
    return SimpleUploadedFile("roster.xlsx", target.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("roster.xlsx", b"PK\x03\x04" + b"\x00" * 200),
            "This file is not a readable .xlsx workbook.",
        ),
        (
            rewritten(
                xlsx_file([["户主姓名", "人口数"], ["王", 1]]),
                "xl/workbook.xml",
                lambda d: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", d),
            ),
            "The workbook has no sheet.",
        ),
        (
            csv_file(HEADER + "王," + "1" * (130 * 1024) + "\n"),
            "A cell is longer than 128 KiB, or the row is not valid CSV.",
        ),
        (csv_file(HEADER + "王,1\n李,2\n张,3\n"), None),
    ],
    ids=["corrupt-zip", "no-sheet", "huge-csv-cell", "good"],
)
def test_a_broken_file_is_refused_clearly_and_writes_nothing(upload, message):
    errors, importer = run(upload)

    if message is None:
        assert errors == [] and len(importer.written) == 3
    else:
        assert [text for _row, text in errors] == [message] and importer.written == []


@pytest.mark.django_db
def test_a_cell_longer_than_its_column_or_holding_a_nul_is_a_row_error():
    errors, importer = run(csv_file(HEADER + "王,1," + "长" * 17 + "\n李\x00四,2,\n张,3,ok\n"))

    assert errors == [
        (2, "At most 16 characters; this cell has 17."),
        (3, ("This cell holds a NUL character (binary data, not text); type the value again.")),
    ]
    assert importer.written == []


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused_naming_the_limit(settings):
    settings.IMPORT_MAX_ROWS = 5

    errors, importer = run(csv_file(HEADER + "".join(f"户{i},1\n" for i in range(6))))

    assert errors == [(7, "The file has more than 5 rows; split it into smaller files.")]
    assert importer.written == []


@pytest.mark.django_db
def test_only_the_first_errors_are_listed_with_the_count_of_all(settings):
    settings.IMPORT_MAX_ERRORS = 3
    importer = Names()

    report = importer.run(csv_file(HEADER + "".join(f"户{i},x\n" for i in range(10))))

    assert (report.error_count, [e.row for e in report.errors]) == (10, [2, 3, 4])
    assert report.as_dict()["error_count"] == 10 and not report.ok


@pytest.mark.django_db
def test_an_xlsx_whose_dimension_tag_understates_its_rows_imports_every_row():
    upload = xlsx_file([["户主姓名", "人口数"], *[[f"户{i}", i + 1] for i in range(5)]])
    understated = rewritten(upload, "xl/worksheets/sheet1.xml", lambda d: re.sub(rb'ref="[^"]+"', b'ref="A1:B1"', d))

    errors, importer = run(understated)

    assert errors == [] and [row["members"] for row in importer.written] == [1, 2, 3, 4, 5]


def test_counting_rows_stops_just_past_the_limit():
    upload = csv_file(HEADER + "".join(f"户{i},1\n" for i in range(50)))

    assert (count_rows(upload, 10), count_rows(upload, 100)) == (11, 50)
    assert upload.tell() == 0


@pytest.mark.django_db
def test_a_successful_import_is_announced_once_committed_and_a_refused_one_never(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imported, "receivers", [])  # only this test's listener: the roster has no user
    heard = []

    def listener(sender, user, report, **kwargs):
        heard.append((sender, report.total))

    imported.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            Names().run(csv_file(HEADER + "王,1\n"))
            Names().run(csv_file(HEADER + "王,x\n"))
            assert heard == []  # nothing is announced before the transaction commits
        assert len(callbacks) == 1
    finally:
        imported.disconnect(listener)

    assert heard == [(Names, 1)]
    assert ObjectChange.objects.filter(action="import").count() == 1


# --- exports never run formulas ---------------------------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_a_csv_export_writes_formula_like_text_with_a_leading_apostrophe():
    response = export_response([["备注", "数"], *[[text, "-2.5"] for text in HOSTILE]], "csv", "x")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert {row[1] for row in rows[1:]} == {"-2.5"}


@pytest.mark.parametrize("via", ["response", "file"])
def test_an_xlsx_export_holds_no_formula(via):
    rows = [["备注"], *[[text] for text in HOSTILE], [-2], ["-7"]]
    if via == "response":
        data = export_response(rows, "xlsx", "x").content
    else:
        target = io.BytesIO()
        write_export(rows, "xlsx", target)
        data = target.getvalue()
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]

    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == ["'" + text for text in HOSTILE] + ["-2", "-7"]


class UniqueNames(Names):
    """Names must be unique in the whole file, whatever batch they fall in."""

    chunk = 2

    def check_rows(self, rows):
        return self.unique(rows, "name", "户主姓名", "Twice.")


class RepeatedPairs(Names):
    """A (name, members) pair may come once in the file; members 0 is a key like any other."""

    chunk = 2

    def check_rows(self, rows):
        repeats = self.repeated(rows, "pair", lambda row: (row.values["name"], row.values["members"]))
        return [RowError(row.number, "人口数", f"As row {first}.") for row, first in repeats]


@pytest.mark.django_db
def test_repeats_are_found_within_a_batch_and_across_batches_whatever_the_key():
    text = "王,0\n王,0\n李,2\n王,1\n李,2\n王,0\n"
    report = RepeatedPairs().run(csv_file(HEADER + text))
    assert [(e.row, e.message) for e in report.errors] == [(3, "As row 2."), (6, "As row 4."), (7, "As row 2.")]
    assert not report.ok


@pytest.mark.django_db
def test_the_keys_met_are_kept_in_a_table_dropped_after_the_import():
    """An import's key index lives in the database, not in the importer's memory, and leaves no table behind: two
    imports in a row on the same connection each start afresh."""
    for _ in range(2):
        importer = UniqueNames()
        report = importer.run(csv_file(HEADER + "王,1\n李,2\n张,3\n"))
        assert (report.ok, report.created) == (True, 3)
        assert not [name for name in temporary_tables() if name.startswith("import_keys")]


def temporary_tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        else:
            cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't' AND pg_table_is_visible(oid)")
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.django_db
def test_keys_are_unique_across_batches_and_a_repeat_in_a_later_batch_refuses_the_file():
    with translation.override("en"):
        report = UniqueNames().run(csv_file(HEADER + "王,1\n李,2\n张,3\n王,4\n"))

    assert [(e.row, e.message) for e in report.errors] == [(5, "Twice. (first at row 2)")]
    assert (report.created, report.ok) == (0, False)
