"""The paper sign-in sheet import: everyone on a good sheet signed in (walk-ins registered), a sheet with one bad row
writes nothing and names the row, a second import changes nothing, a reported training takes no sheet."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sciaid.core.models import Job, JobStatus
from sciaid.training import services
from sciaid.training.importers import EXAMPLE_PHONE, RosterImporter
from sciaid.training.models import Attendance, Registration
from sciaid.training.services import figures
from sciaid.training.tests.conftest import DAY, guest
from sciaid.training.tests.test_figures_property import live_statistics, stored_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = ["Full name", "Household number", "Phone", "Village division code", "Date"]


def sheet(rows, header=HEADER, name="sheet.xlsx") -> SimpleUploadedFile:
    """An .xlsx sheet as an officer types it (headers in either language import; English ones here)."""
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_sheet_signs_everyone_in_and_registers_the_walk_ins(world, make_event, member):
    event = make_event()
    services.register(world.info_officer, event, member())
    services.register(world.info_officer, event, guest(world, phone="13905540001", name="王五"))
    rows = [
        (world.household_a1.head_name, world.household_a1.number, "", "", DAY.isoformat()),
        ("张三", world.household_a1.number, "", "", ""),
        ("王五", "", "13905540001", "", DAY.isoformat()),
        ("赵六", "", 13905540002, world.village_a1.code, DAY.isoformat()),
    ]
    report = RosterImporter(world.info_officer, event).run(sheet(rows))
    assert report.ok, report.errors
    assert (report.total, report.created, report.unchanged) == (4, 4, 0)
    walk_ins = Registration.objects.filter(event=event, walk_in=True).order_by("name")
    assert [r.name for r in walk_ins] == ["张三", "赵六"]
    assert Attendance.objects.filter(event=event, day=DAY).count() == 4
    again = RosterImporter(world.info_officer, event).run(sheet(rows))
    assert (again.created, again.unchanged) == (0, 4)
    assert Attendance.objects.filter(event=event).count() == 4


def test_a_sheet_refreshes_the_stored_figures_once_at_its_end(world, make_event):
    """The figures are refreshed once for the whole sheet (its keys locked together, in order), and are right."""
    event = make_event()
    rows = [("张三", world.household_a1.number, "", "", DAY.isoformat())]
    rows += [(f"客{n}", "", f"1390554{n:04d}", world.village_a1.code, DAY.isoformat()) for n in range(6)]
    with mock.patch("sciaid.training.services.figures._computed", wraps=figures._computed) as computed:
        report = RosterImporter(world.info_officer, event).run(sheet(rows))
    assert report.ok, report.errors
    assert computed.call_count == 1
    assert live_statistics(world.county_a, DAY.year) == stored_rows(world.county_a, DAY.year)


def test_one_bad_row_writes_nothing_and_every_problem_is_named(world, make_event):
    event = make_event()
    rows = [
        ("赵六", "", "13905540002", world.village_a1.code, DAY.isoformat()),
        ("钱七", "", "12345", world.village_a1.code, DAY.isoformat()),
        ("孙八", "9999", "", "", DAY.isoformat()),
        ("周九", "", "", "", DAY.isoformat()),
        ("吴十", "", "13905540003", "", DAY.isoformat()),
        ("郑一", "", "13905540004", world.village_a1.code, (DAY + timedelta(days=1)).isoformat()),
    ]
    report = RosterImporter(world.info_officer, event).run(sheet(rows))
    assert [(error.row, error.column) for error in report.errors] == [
        (3, "Phone"),
        (4, "Household number"),
        (5, "Phone"),
        (6, "Village division code"),
        (7, "Date"),
    ]
    assert not Registration.objects.exists() and not Attendance.objects.exists()


def test_a_sheet_of_a_several_day_course_gives_each_date(world, make_event, member):
    event = make_event(days=3)
    rows = [(world.household_a1.head_name, world.household_a1.number, "", "", "")]
    report = RosterImporter(world.info_officer, event).run(sheet(rows))
    assert [error.column for error in report.errors] == ["Date"]
    head, number = world.household_a1.head_name, world.household_a1.number
    rows = [(head, number, "", "", (DAY + timedelta(days=n)).isoformat()) for n in range(3)]
    assert RosterImporter(world.info_officer, event).run(sheet(rows)).created == 3
    assert Registration.objects.filter(event=event).count() == 1


def test_an_info_officer_imports_the_people_of_their_village_only(world, make_event):
    event = make_event(area="county_a")
    rows = [
        ("邻村户主", world.household_a2.number, "", "", DAY.isoformat()),
        ("邻村村民", "", "13905540005", world.village_a2.code, DAY.isoformat()),
    ]
    report = RosterImporter(world.info_officer, event).run(sheet(rows))
    assert [error.row for error in report.errors] == [2, 3]
    assert "your villages" in report.errors[0].message
    assert RosterImporter(world.county_admin, event).run(sheet(rows)).created == 2


def test_a_reported_training_takes_no_sheet(world, make_event):
    event = make_event()
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    rows = [("赵六", "", "13905540002", world.village_a1.code, DAY.isoformat())]
    report = RosterImporter(world.county_admin, event).run(sheet(rows))
    assert [(error.row, error.message) for error in report.errors] == [
        (1, "Attendance of this training is closed: it has been reported.")
    ]
    assert not Registration.objects.exists()


def test_the_templates_example_row_is_never_imported(world, make_event, client_for):
    event = make_event()
    response = client_for("info_officer").get(reverse("training:roster-import", args=[event.pk]), {"template": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][2] == EXAMPLE_PHONE
    upload = SimpleUploadedFile("template.xlsx", response.content)
    report = RosterImporter(world.info_officer, event).run(upload)
    assert report.ok and report.examples == [2] and report.total == 0
    edited = sheet([("李四", "", EXAMPLE_PHONE, world.village_a1.code, DAY.isoformat())])
    assert [error.column for error in RosterImporter(world.info_officer, event).run(edited).errors] == ["Phone"]


def test_the_import_page_shows_the_row_report(world, make_event, client_for):
    event = make_event()
    url = reverse("training:roster-import", args=[event.pk])  # in English: the test runs so
    client = client_for("info_officer")
    good = sheet([("赵六", "", "13905540002", world.village_a1.code, DAY.isoformat())])
    page = client.post(url, {"file": good})
    assert page.status_code == 200 and "All 1 rows imported" in page.content.decode()
    bad = sheet([("钱七", "", "12345", world.village_a1.code, DAY.isoformat())])
    page = client.post(url, {"file": bad}).content.decode()
    assert "nothing was written" in page and "11 digits" in page


def test_a_large_sheet_runs_as_a_job(world, make_event, client_for, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_JOB_THRESHOLD = 1
    event = make_event()
    rows = [(f"村民{n}", "", f"1390554100{n}", world.village_a1.code, DAY.isoformat()) for n in range(3)]
    url = reverse("training:roster-import", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("info_officer").post(url, {"file": sheet(rows)})
    job = Job.objects.get(kind="training.import_roster")
    job.refresh_from_db()
    assert response.status_code == 302 and response.url.endswith(f"/jobs/{job.pk}/")
    assert job.status == JobStatus.SUCCEEDED and job.result["created"] == 3


def test_the_import_page_refuses_a_closed_training(world, make_event, client_for):
    event = make_event()
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    assert client_for("info_officer").get(reverse("training:roster-import", args=[event.pk])).status_code == 403
    other = make_event(area="village_b1")
    assert client_for("info_officer").get(reverse("training:roster-import", args=[other.pk])).status_code == 404
