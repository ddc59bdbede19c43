"""Spreadsheets as counties keep them: .xlsx or .csv (UTF-8 or GB18030), Chinese or English headers, all or nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.functional import lazy
from openpyxl import Workbook, load_workbook

from sciaid.core.spreadsheets import (
    Column,
    Importer,
    RowError,
    SpreadsheetError,
    export_response,
    read_rows,
    write_export,
)

#: An import always runs in a transaction, even one that writes nothing.
pytestmark = pytest.mark.django_db


def bilingual(zh: str, en: str):
    """A header that reads `zh` in Chinese and `en` in English, as a translated gettext_lazy string would."""
    return lazy(lambda: zh if translation.get_language() == "zh-hans" else en, str)()


def members(text: str) -> int:
    if not text.isdigit():
        raise ValidationError("Write a whole number.")
    return int(text)


COLUMNS = [
    Column("name", bilingual("户主姓名", "Head of household")),
    Column("members", bilingual("人口数", "Members"), members),
    Column("note", bilingual("备注", "Note"), required=False),
]


class Roster(Importer):
    """A minimal importer that keeps what it would write."""

    columns = COLUMNS

    def __init__(self):
        super().__init__(user=None)
        self.written: list[dict] = []

    def check_rows(self, rows):
        names = [r.values["name"] for r in rows]
        return [] if len(names) == len(set(names)) else [RowError(rows[-1].number, "name", "Duplicate name.")]

    def write(self, rows):
        self.written = [row.values for row in rows]
        return len(rows), 0, 0


def csv_file(text: str, encoding: str = "utf-8", name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding))


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def cells(rows) -> list[tuple[int, dict]]:
    return [(row.number, row.cells) for row in rows]


def test_an_xlsx_file_reads_with_numbers_as_text():
    upload = xlsx_file([["户主姓名", "人口数", "备注"], ["王秀英", 4, None], ["李四", 2.0, "新户"]])

    assert cells(read_rows(upload, COLUMNS)) == [
        (2, {"name": "王秀英", "members": "4", "note": ""}),
        (3, {"name": "李四", "members": "2", "note": "新户"}),
    ]


def test_a_utf8_csv_with_a_bom_reads():
    upload = csv_file("\ufeffHead of household,Members\n王秀英,4\n", "utf-8")

    assert cells(read_rows(upload, COLUMNS)) == [(2, {"name": "王秀英", "members": "4"})]


def test_a_gb18030_csv_from_excel_reads():
    upload = csv_file("户主姓名,人口数\n王秀英,4\n", "gb18030")

    assert cells(read_rows(upload, COLUMNS)) == [(2, {"name": "王秀英", "members": "4"})]


@pytest.mark.parametrize(
    "header",
    ["户主姓名,人口数", "Head of household,Members", "head of household*, MEMBERS ", "人口数,Head of household"],
)
def test_chinese_and_english_headers_are_both_accepted_in_any_order(header):
    first, second = ("2", "王秀英") if header.startswith("人口数") else ("王秀英", "2")

    [row] = read_rows(csv_file(f"{header}\n{first},{second}\n"), COLUMNS)

    assert (row.cells["name"], row.cells["members"]) == ("王秀英", "2")


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet():
    upload = csv_file("户主姓名,人口数\n王秀英,4\n,\n   ,  \n李四,2\n")

    assert [row.number for row in read_rows(upload, COLUMNS)] == [2, 5]


def test_missing_columns_are_named():
    with translation.override("en"), pytest.raises(SpreadsheetError, match="Missing columns: Members"):
        read_rows(csv_file("户主姓名,备注\n王秀英,x\n"), COLUMNS)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("roster.txt", b"anything"), "Please upload an .xlsx or .csv file."),
        (SimpleUploadedFile("roster.xlsx", b"not a zip"), "This file is not a readable .xlsx workbook."),
        (SimpleUploadedFile("roster.csv", b""), "The file has no header row."),
    ],
)
def test_an_unusable_file_gets_a_clear_message(upload, message):
    with translation.override("en"), pytest.raises(SpreadsheetError, match=message):
        read_rows(upload, COLUMNS)


@pytest.mark.django_db
def test_an_import_writes_every_row_when_all_are_valid():
    importer = Roster()

    report = importer.run(csv_file("户主姓名,人口数\n王秀英,4\n李四,2\n"))

    assert report.ok
    assert (report.total, report.created) == (2, 2)
    assert importer.written == [
        {"name": "王秀英", "members": 4, "note": None},
        {"name": "李四", "members": 2, "note": None},
    ]


def test_an_import_with_one_bad_row_writes_nothing_and_names_each_bad_cell():
    importer = Roster()

    with translation.override("en"):
        report = importer.run(csv_file("户主姓名,人口数\n王秀英,4\n,x\n李四,2\n"))

    assert not report.ok
    assert importer.written == []
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "Head of household", "This cell is required."),
        (3, "Members", "Write a whole number."),
    ]
    assert report.as_dict()["errors"][0] == {
        "row": 3,
        "column": "Head of household",
        "message": "This cell is required.",
    }


def test_rows_are_checked_against_each_other_before_anything_is_written():
    importer = Roster()

    report = importer.run(csv_file("户主姓名,人口数\n王秀英,4\n王秀英,2\n"))

    assert [(e.row, e.message) for e in report.errors] == [(3, "Duplicate name.")]
    assert importer.written == []


def test_an_unreadable_file_is_a_report_on_row_one():
    report = Roster().run(SimpleUploadedFile("roster.pdf", b"%PDF"))

    assert [e.row for e in report.errors] == [1]


@pytest.mark.django_db
def test_progress_is_reported_per_chunk():
    importer = Roster()
    importer.chunk = 2
    seen = []

    importer.run(
        csv_file("户主姓名,人口数\n" + "".join(f"户{i},1\n" for i in range(5))), lambda d, t: seen.append((d, t))
    )

    assert seen == [(2, 5), (4, 5), (5, 5)]


ID_WITH_X = "11010519491231002X"
ID_DIGITS = "440524188001010014"


def test_an_xlsx_export_keeps_18_digit_id_numbers_as_text():
    response = export_response([["身份证号", "人口数"], [ID_DIGITS, 4], [ID_WITH_X, None]], "xlsx", "households")

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values == [["身份证号", "人口数"], [ID_DIGITS, "4"], [ID_WITH_X, None]]
    assert sheet["A2"].data_type == "s"
    assert response["Content-Disposition"] == 'attachment; filename="households.xlsx"'


def test_a_csv_export_starts_with_a_bom_so_excel_reads_chinese():
    with translation.override("en"):
        response = export_response([["户主", "贫困村"], ["王秀英", True]], "csv", "households")
        body = b"".join(response.streaming_content)

    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").splitlines() == ["户主,贫困村", "王秀英,yes"]


def test_an_export_reads_back_as_an_import():
    response = export_response([["户主姓名", "人口数"], ["王秀英", 4]], "csv", "roster")
    upload = SimpleUploadedFile("roster.csv", b"".join(response.streaming_content))

    assert cells(read_rows(upload, COLUMNS)) == [(2, {"name": "王秀英", "members": "4"})]


def test_an_unknown_export_format_is_refused():
    with pytest.raises(ValueError):
        export_response([["a"]], "pdf", "x")


def written_export(rows, fmt: str) -> bytes:
    target = io.BytesIO()
    write_export(rows, fmt, target)
    return target.getvalue()


def test_an_export_written_to_a_file_holds_what_the_download_streams():
    rows = [["户主", "身份证号"], ["王秀英", ID_WITH_X]]
    streamed = b"".join(export_response(rows, "csv", "x").streaming_content)

    assert written_export(rows, "csv") == streamed
    sheet = load_workbook(io.BytesIO(written_export(rows, "xlsx"))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == rows


# --- the template's example row, and identifiers Excel turned into numbers ------------------------------------------


def check_id(text: str) -> str:
    if len(text) != 18:
        raise ValidationError("An ID number has 18 characters.")
    return text


ID_COLUMNS = [
    Column("name", bilingual("户主姓名", "Head of household"), example="王秀英"),
    Column("id", bilingual("身份证号", "ID number"), check_id, required=False, example=ID_WITH_X, text=True),
    Column("number", bilingual("户编号", "Household number"), example="0000", text=True),
]


class Households(Importer):
    columns = ID_COLUMNS
    example_key = "number"

    def __init__(self):
        super().__init__(user=None)
        self.written: list[dict] = []

    def write(self, rows):
        self.written = [row.values for row in rows]
        return len(rows), 0, 0


def template_rows(fmt: str) -> list[list]:
    response = Households.template(fmt)
    if fmt == "csv":
        return [line.split(",") for line in b"".join(response.streaming_content).decode("utf-8-sig").splitlines()]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value or "" for cell in row] for row in sheet.iter_rows()]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_example_row_left_in_a_template_is_skipped_and_reported(fmt):
    rows = [*template_rows(fmt), ["李四", "", "0007"]]
    upload = xlsx_file(rows) if fmt == "xlsx" else csv_file("\n".join(",".join(row) for row in rows))
    importer = Households()

    report = importer.run(upload)

    assert (report.ok, report.total, report.created, report.examples) == (True, 1, 1, [2])
    assert importer.written == [{"name": "李四", "id": None, "number": "0007"}]
    assert report.as_dict()["examples"] == [2]


def test_an_edited_example_row_that_keeps_the_reserved_key_is_refused():
    importer = Households()

    with translation.override("en"):
        report = importer.run(csv_file(f"户主姓名,身份证号,户编号\n张三,{ID_WITH_X},0000\n"))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Household number", "0000 is the template's example; give this row its own value.")
    ]
    assert importer.written == []


def test_the_xlsx_template_formats_identifier_columns_as_text():
    response = Households.template("xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet.column_dimensions[c].number_format for c in "ABC"] == ["General", "@", "@"]
    assert (sheet["B2"].value, sheet["B2"].number_format) == (ID_WITH_X, "@")
    assert response["Content-Disposition"] == 'attachment; filename="template.xlsx"'


@pytest.mark.parametrize(
    "cell",
    [3.40422196503120e17, 340422196503120000.0, 34042219650312002, 340422196503120],
    ids=["float", "float without exponent", "17 digits", "15 digits"],
)
def test_an_id_number_excel_stored_as_a_number_is_explained(cell):
    importer = Households()

    with translation.override("en"):
        report = importer.run(xlsx_file([["户主姓名", "身份证号", "户编号"], ["王秀英", cell, "0001"]]))

    [error] = report.errors
    assert error.column == "ID number"
    assert "Excel" in error.message and "format the column as text" in error.message.lower()
    assert importer.written == []


def test_a_long_number_is_shown_as_excel_shows_it():
    importer = Households()

    with translation.override("en"):
        report = importer.run(xlsx_file([["户主姓名", "身份证号", "户编号"], ["王秀英", 3.40422196503120e17, "1"]]))

    assert "3.40422E+17" in report.errors[0].message


def test_a_csv_saved_by_excel_with_a_number_in_scientific_notation_is_explained():
    importer = Households()

    with translation.override("en"):
        report = importer.run(csv_file("户主姓名,身份证号,户编号\n王秀英,3.40422E+17,0001\n"))

    assert [(e.column, e.message) for e in report.errors] == [
        (
            "ID number",
            "Excel turned this cell into the number 3.40422E+17 and lost digits. Format the column as text, type the "
            "value again and save the file.",
        )
    ]


def test_a_wrong_id_typed_as_text_gets_only_the_check_message():
    with translation.override("en"):
        report = Households().run(xlsx_file([["户主姓名", "身份证号", "户编号"], ["王秀英", "3404", "0001"]]))

    assert [e.message for e in report.errors] == ["An ID number has 18 characters."]
