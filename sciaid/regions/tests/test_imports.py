"""Spreadsheet imports through the pages: all rows good or nothing written, each bad row explained, idempotent,
large files as jobs, and only the roles that keep these lists may import.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from sciaid.core.models import Job, JobStatus, ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.regions.importers import HouseholdImporter
from sciaid.regions.models import Area, Household, HouseholdIncome
from sciaid.regions.views import header

HOUSEHOLD_HEADERS = [
    "Household number",
    "Village division code",
    "Head of household",
    "Citizen ID number",
    "Phone",
    "Members",
    "Main cause of poverty",
    "Status",
    "Income year",
    "Income per capita (yuan)",
]


def household_row(n: int, village_code: str = "340422105201", **changes) -> list[str]:
    row = {
        "number": f"{village_code}{n + 100:04d}",
        "village": village_code,
        "head": f"户主{n + 100}",
        "id": make_id_number(100 + n),
        "phone": f"1380554{n:04d}",
        "members": "3",
        "cause": "illness",
        "status": "",
        "income_year": "2020",
        "income": "6850.50",
    }
    row.update(changes)
    return list(row.values())


def upload(rows: list[list[str]], fmt: str = "csv", headers=HOUSEHOLD_HEADERS) -> SimpleUploadedFile:
    table = [headers, *rows]
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(table)
        return SimpleUploadedFile("名单.csv", text.getvalue().encode("utf-8-sig"), content_type="text/csv")
    book = Workbook()
    for row in table:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("名单.xlsx", data.getvalue())


def en(url: str) -> str:
    """The English page, so that messages can be compared with the msgids."""
    return "/en" + url.removeprefix("/en")


def import_households(client, rows, fmt="csv", **kwargs):
    return client.post(en(reverse("regions:household-import")), {"file": upload(rows, fmt, **kwargs)})


def written() -> tuple[int, int, int]:
    """What an import writes; its one summary entry in the audit log (action "import") is counted apart."""
    changes = ObjectChange.objects.exclude(action="import")
    return Household.objects.count(), HouseholdIncome.objects.count(), changes.count()


# --- every bad row is explained, and nothing is written ------------------------------------------------------------


def wrong_check_digit(n: int) -> str:
    number = make_id_number(100 + n)
    return number[:-1] + ("1" if number[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (household_row(2, id=wrong_check_digit(2)), "Citizen ID number", "check digit"),
        (household_row(2, phone="1234567"), "Phone", "11 digits"),
        (household_row(2, village="340422105299"), "Village division code", "Unknown village code"),
        (household_row(2, village="340421101201"), "Village division code", "Unknown village code"),
        (household_row(1, id=make_id_number(150)), "Household number", "appears twice"),
        (household_row(2, id=make_id_number(1, region="340422")), "Citizen ID number", "already registered"),
        (household_row(2, members="many"), "Members", "whole number"),
        (household_row(2, income=""), "Income per capita (yuan)", "both"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_written(world, client_for, bad_row, column, message):
    before = written()
    response = import_households(client_for("county_admin"), [household_row(1), bad_row], "csv")
    report = response.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    assert message in response.content.decode()
    assert written() == before


def test_a_file_with_missing_columns_is_refused(world, client_for):
    response = import_households(client_for("county_admin"), [["x"]], headers=["Household number"])
    assert "Missing columns" in response.context["report"].errors[0].message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("list.txt", b"a,b", "Please upload an .xlsx or .csv file."),
        ("list.xlsx", b"number,village", "does not match"),
    ],
)
def test_the_upload_form_checks_the_file_type(world, client_for, name, content, message):
    response = client_for("county_admin").post(
        en(reverse("regions:household-import")), {"file": SimpleUploadedFile(name, content)}
    )
    assert message in " ".join(response.context["form"].errors["file"])


def test_the_upload_form_checks_the_size(world, client_for, settings):
    settings.IMPORT_MAX_BYTES = 10
    response = import_households(client_for("county_admin"), [household_row(1)])
    assert response.context["form"].errors["file"]
    assert not Household.objects.filter(number=household_row(1)[0]).exists()


# --- good files -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_imports_and_a_second_import_changes_nothing(world, client_for, fmt):
    client = client_for("county_admin")
    rows = [household_row(1), household_row(2, village="340422106201")]
    report = import_households(client, rows, fmt).context["report"]
    assert (report.ok, report.created, report.updated) == (True, 2, 0)
    household = Household.objects.get(number=rows[0][0])
    assert household.id_number == make_id_number(101) and household.phone == "13805540001"
    assert household.incomes.get().income_per_capita == 6850.5
    audited = ObjectChange.objects.filter(note="import")
    assert audited.filter(object_id=str(household.pk), content_type__model="household").exists()
    assert audited.count() == 4  # two households and their two incomes
    before = written()
    again = import_households(client, rows, fmt).context["report"]
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 2)
    assert written() == before
    summaries = ObjectChange.objects.filter(action="import", content_type__model="household")
    assert [s.after["unchanged"] for s in summaries.order_by("id")] == [0, 2]


def test_a_reimport_with_a_change_updates_and_audits_it(world, client_for):
    client = client_for("county_admin")
    import_households(client, [household_row(1)])
    report = import_households(client, [household_row(1, head="改名")]).context["report"]
    assert (report.created, report.updated) == (0, 1)
    change = ObjectChange.objects.filter(note="import", action="update").get()
    assert change.after["head_name"] == "改名"


def test_an_info_officer_imports_households_of_their_own_village_only(world, client_for):
    client = client_for("info_officer")
    assert import_households(client, [household_row(1)]).context["report"].created == 1
    report = import_households(client, [household_row(2, village="340422105202")]).context["report"]
    assert report.errors[0].message == "Unknown village code."


@pytest.mark.parametrize("persona", ["supervisor", "farmer", "triage", "outsider"])
def test_other_roles_may_not_import_households(world, client_for, persona):
    client = client_for(persona)
    assert client.get(reverse("regions:household-import")).status_code == 403
    assert import_households(client, [household_row(1)]).status_code == 403
    assert not Household.objects.filter(number=household_row(1)[0]).exists()


def test_only_managers_may_import_villages(world, client_for):
    assert client_for("info_officer").get(reverse("regions:village-import")).status_code == 403
    assert client_for("county_admin").get(reverse("regions:village-import")).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_download_with_the_importers_headers(english, world, client_for, fmt):
    response = client_for("county_admin").get(reverse("regions:household-import"), {"template": fmt})
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        header = next(load_workbook(io.BytesIO(body), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert "Household number*" in header and "Citizen ID number" in header


def test_villages_import_with_pinyin_and_refuse_another_countys_parent(world, client_for):
    client = client_for("county_admin")
    headers = ["Division code", "Name", "Parent division code", "Poor village", "Year lifted out of poverty"]
    good = [
        ["340422105203", "大店村", "340422105000", "是", "2019"],
        ["340422105204", "小岗村", "340422105000", "否", ""],
    ]
    url = en(reverse("regions:village-import"))
    report = client.post(url, {"file": upload(good, headers=headers)}).context["report"]
    assert (report.ok, report.created) == (True, 2)
    village = Area.objects.get(code="340422105203")
    assert (village.parent, village.level, village.initials, village.lifted_year) == (world.township_a1, 5, "ddc", 2019)
    assert ObjectChange.objects.filter(note="import", object_id=str(village.pk)).exists()
    bad = [["340421101205", "外县村", "340421101000", "是", ""]]
    report = client.post(url, {"file": upload(bad, headers=headers)}).context["report"]
    assert "Unknown parent division code" in report.errors[0].message
    assert not Area.objects.filter(code="340421101205").exists()


def test_an_empty_village_file_imports_nothing(world, client_for):
    headers = ["Division code", "Name", "Parent division code"]
    response = client_for("county_admin").post(reverse("regions:village-import"), {"file": upload([], headers=headers)})
    assert response.context["report"].ok and response.context["report"].total == 0


# --- large files run as jobs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_import_runs_as_a_job_and_ends_with_the_report(
    world, client_for, settings, django_capture_on_commit_callbacks, fmt
):
    settings.IMPORT_JOB_THRESHOLD = 2
    client = client_for("county_admin")
    rows = [household_row(n) for n in range(1, 4)]
    with django_capture_on_commit_callbacks(execute=True):
        response = import_households(client, rows, fmt)
    job = Job.objects.get(kind="regions.import_households")
    assert response.status_code == 302 and response.url == reverse("core:job-detail", args=[job.pk])
    assert (job.kind, job.status, job.total) == ("regions.import_households", JobStatus.SUCCEEDED, 3)
    assert job.result["created"] == 3 and not job.result["errors"]
    assert Household.objects.filter(number__in=[r[0] for r in rows]).count() == 3
    assert ObjectChange.objects.filter(note="import", user=world.county_admin).count() == 6
    page = client.get(response.url).content.decode()
    assert "3 / 3" in page and 'value="100"' in page


def test_a_large_import_with_a_bad_row_writes_nothing(world, client_for, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_JOB_THRESHOLD = 1
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        import_households(client_for("county_admin"), [household_row(1), household_row(2, phone="1")])
    job = Job.objects.get(kind="regions.import_households")
    assert job.result["errors"][0]["row"] == 3
    assert Household.objects.count() == before[0]


# --- the templates' example rows -------------------------------------------------------------------------------------


def template(client, view: str, fmt: str) -> list[list[str]]:
    """The downloaded template's rows, as text."""
    response = client.get(reverse(view), {"template": fmt})
    if fmt == "csv":
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value or "" for cell in row] for row in sheet.iter_rows()]


def upload_rows(rows: list[list[str]], fmt: str) -> SimpleUploadedFile:
    return upload(rows[1:], fmt, headers=rows[0])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("view", ["regions:household-import", "regions:village-import"])
def test_a_template_uploaded_as_downloaded_writes_nothing_and_says_why(world, client_for, view, fmt):
    client = client_for("county_admin")
    before = (written(), Area.objects.count(), Household.objects.get(number="3404221052010001").head_name)

    response = client.post(en(reverse(view)), {"file": upload_rows(template(client, view, fmt), fmt)})

    report = response.context["report"]
    assert (report.ok, report.total, report.examples) == (True, 0, [2])
    assert "Row 2 is the template's example row and was left out." in response.content.decode()
    after = (written(), Area.objects.count(), Household.objects.get(number="3404221052010001").head_name)
    assert after == before


def test_the_household_example_passes_every_check_once_it_has_its_own_number(world, client_for):
    client = client_for("county_admin")
    header, example = template(client, "regions:household-import", "xlsx")
    example[0] = "3404221052019001"

    report = client.post(
        en(reverse("regions:household-import")), {"file": upload_rows([header, example], "xlsx")}
    ).context["report"]

    assert (report.ok, report.created) == (True, 1)
    household = Household.objects.get(number="3404221052019001")
    assert (household.village, household.id_number, household.status) == (world.village_a1, example[3], "poor")


def test_the_village_example_passes_every_check_once_it_has_its_own_code(world, client_for):
    client = client_for("county_admin")
    header, example = template(client, "regions:village-import", "xlsx")
    example[0] = "340422105209"

    report = client.post(
        en(reverse("regions:village-import")), {"file": upload_rows([header, example], "xlsx")}
    ).context["report"]

    assert (report.ok, report.created) == (True, 1)
    assert Area.objects.get(code="340422105209").parent == world.township_a1


@pytest.mark.parametrize(
    ("view", "name_index", "key_column"),
    [("regions:household-import", 2, "Household number"), ("regions:village-import", 1, "Division code")],
)
def test_an_edited_example_that_keeps_its_reserved_key_is_refused(world, client_for, view, name_index, key_column):
    client = client_for("county_admin")
    header, example = template(client, view, "csv")
    example[name_index] = "改过的"
    before = (written(), Area.objects.count())

    report = client.post(en(reverse(view)), {"file": upload_rows([header, example], "csv")}).context["report"]

    assert [(e.row, e.column) for e in report.errors] == [(2, key_column)]
    assert "template's example" in report.errors[0].message
    assert (written(), Area.objects.count()) == before


def test_the_household_template_keeps_identifiers_as_text(world, client_for):
    response = client_for("county_admin").get(reverse("regions:household-import"), {"template": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    text_columns = {
        headers[index].rstrip("*")
        for index in range(len(headers))
        if sheet.column_dimensions[get_column_letter(index + 1)].number_format == "@"
    }
    identifiers = ("number", "village_code", "id_number", "phone")
    assert text_columns == {str(header(HouseholdImporter, key)) for key in identifiers}


@pytest.mark.parametrize(
    ("cell", "explanation"),
    [
        # What Excel keeps of an 18-digit ID typed into a General cell: 15 digits, shown as 3.40422E+17.
        (float(make_id_number(101)), "Excel turned this cell into the number 3.40422E+17 and lost digits."),
        # A number short enough to keep every digit still says where the damage may come from.
        (340422196503120, "Excel stored this cell as a number, which loses a leading 0, a final X"),
    ],
    ids=["18 digits", "15 digits"],
)
def test_an_id_number_excel_turned_into_a_number_says_how_to_fix_it(world, client_for, cell, explanation):
    before = written()

    report = import_households(client_for("county_admin"), [household_row(1, id=cell)], "xlsx").context["report"]

    [error] = report.errors
    assert error.column == "Citizen ID number"
    assert explanation in error.message and "format the column as text" in error.message.lower()
    assert written() == before


# --- validated in bulk, written set-based, idempotent ----------------------------------------------------------------


def fresh_row(n: int, birth: str = "19790101") -> list[str]:
    """A household row whose ID number no household of the test world has (born on another day)."""
    return household_row(n, id=make_id_number(n, birth=birth))


def queries_to_import(user, rows) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        report = HouseholdImporter(user).run(upload(rows))
    return len(captured), report


def test_validating_a_file_costs_the_same_queries_for_10_rows_or_1000(world):
    bad = {"members": "x"}  # every row fails its cells' check: what is counted is validation alone
    # Warm up what is cached from then on (the user's grants, content types).
    queries_to_import(world.county_admin, [fresh_row(2000, "19790103")])
    few, report = queries_to_import(world.county_admin, [household_row(n, **bad) for n in range(10)])
    many, large = queries_to_import(world.county_admin, [household_row(n, **bad) for n in range(1000)])
    assert (report.error_count, large.error_count) == (10, 1000)
    good_few, _ = queries_to_import(world.county_admin, [fresh_row(n) for n in range(10)])
    good_many, report = queries_to_import(world.county_admin, [fresh_row(n, "19790102") for n in range(10, 1010)])
    assert report.created == 1000
    assert many == few and good_many == good_few


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"head": "新户主"},
        {"id": ""},
        {"phone": ""},
        {"status": "lifted"},
        {"income": "7000"},
        {"income_year": "", "income": ""},
    ],
    ids=["same", "head", "no-id", "no-phone", "status", "income", "no-income"],
)
def test_importing_any_file_twice_changes_nothing_the_second_time(world, change):
    rows = [household_row(1), household_row(2, **change), household_row(3, village="340422106201", **change)]
    first = HouseholdImporter(world.county_admin).run(upload(rows))
    before = written()
    second = HouseholdImporter(world.county_admin).run(upload(rows))
    assert first.ok and (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert written() == before


def test_a_changed_income_and_id_are_audited_once_each_and_the_id_kept_encrypted(world):
    HouseholdImporter(world.county_admin).run(upload([household_row(1)]))
    household = Household.objects.get(number=household_row(1)[0])
    cipher = household.id_number_encrypted
    report = HouseholdImporter(world.county_admin).run(upload([household_row(1, income="7000.25")]))
    household.refresh_from_db()
    assert (report.updated, report.unchanged) == (0, 1)
    assert household.id_number_encrypted == cipher, "an unchanged ID is not encrypted again"
    change = ObjectChange.objects.get(action="update", content_type__model="householdincome")
    assert (change.before["income_per_capita"], change.after["income_per_capita"]) == ("6850.50", "7000.25")
    report = HouseholdImporter(world.county_admin).run(upload([household_row(1, id=make_id_number(999))]))
    household.refresh_from_db()
    assert report.updated == 1 and household.id_number == make_id_number(999)
    assert ObjectChange.objects.filter(action="update", content_type__model="household").count() == 1
