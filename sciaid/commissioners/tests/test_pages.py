"""The commissioners' pages: what each role sees and does, imports and exports."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from sciaid.commissioners.logs import services as logs
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.models import Agreement, Batch, Candidate, ServiceLog, Team
from sciaid.commissioners.selection import services as selection
from sciaid.commissioners.selection.choices import CandidateStatus
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.experts import services as experts
from sciaid.experts.models import Expert, Pairing


def xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("rows.xlsx", buffer.getvalue())


def test_coverage_page_lists_uncovered_poor_villages(world, client_for, make_commissioner, english):
    make_commissioner("li", villages=["village_a1"])
    response = client_for("county_admin").get(reverse("commissioners:coverage"), {"year": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 / 2" in body and "塘湾村" in body
    assert "姚祠村" not in body.split('id="uncovered"')[1]
    export = client_for("county_admin").get(reverse("commissioners:coverage"), {"year": YEAR, "export": "csv"})
    assert "塘湾村" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_statistics_page_and_export(world, client_for, commissioner, english):
    entry = logs.log_service(
        world.users["expert"],
        village=world.areas["village_a1"],
        kind=ServiceKind.TRAINING,
        served_on=on(4),
        summary="培训",
        participants=40,
    )
    logs.confirm_log(world.users["info_officer"], entry)
    client = client_for("county_admin")
    response = client.get(reverse("commissioners:statistics"), {"area": world.areas["county_a"].code, "year": YEAR})
    assert response.status_code == 200
    assert response.context["stats"]["totals"]["trainees"] == 40
    assert "隐贤镇" in response.content.decode()
    export = client.get(reverse("commissioners:statistics"), {"year": YEAR, "export": "xlsx"})
    assert export.status_code == 200
    assert client.get(reverse("commissioners:statistics"), {"year": "19x"}).status_code == 200
    assert client_for("expert").get(reverse("commissioners:statistics")).status_code == 403


def test_alerts_page(world, client_for, make_commissioner, english):
    make_commissioner("li")
    response = client_for("county_admin").get(reverse("commissioners:alerts"), {"year": YEAR})
    assert response.status_code == 200 and "li" in response.content.decode().split('id="idle"')[1]


def test_a_commissioner_logs_a_service_and_the_info_officer_confirms(world, client_for, commissioner, english):
    client = client_for("expert")
    assert client.get(reverse("commissioners:log-create")).status_code == 200
    response = client.post(
        reverse("commissioners:log-create"),
        {
            "village": world.areas["village_a1"].code,
            "kind": ServiceKind.GUIDANCE,
            "served_on": on(6).isoformat(),
            "summary": "田间指导",
            "participants": 5,
            "other_households": 1,
            "households": [world.households["household_a1"].pk],
        },
    )
    log = ServiceLog.objects.get()
    assert response.status_code == 302 and log.status == LogStatus.SUBMITTED
    assert client_for("farmer").get(reverse("commissioners:log-create")).status_code == 403
    assert (
        client_for("info_officer_b").post(reverse("commissioners:log-action", args=[log.pk, "confirm"])).status_code
        == 404
    )
    officer = client_for("info_officer")
    assert "confirm-log" in officer.get(log.get_absolute_url()).content.decode()
    officer.post(reverse("commissioners:log-action", args=[log.pk, "confirm"]))
    log.refresh_from_db()
    assert log.status == LogStatus.CONFIRMED


def test_a_county_runs_a_batch_through_the_pages(world, client_for, commissioner, english):
    Expert.objects.filter(pk=commissioner.pk).update(is_commissioner=False)
    admin = client_for("county_admin")
    admin.post(
        reverse("commissioners:batch-create"),
        {"county": world.areas["county_a"].code, "year": YEAR, "title": "第一批"},
    )
    batch = Batch.objects.get()
    client_for("expert").post(reverse("commissioners:batch-action", args=[batch.pk, "apply"]), {"statement": "愿意"})
    candidate = Candidate.objects.get()
    page = admin.get(batch.get_absolute_url()).content.decode()
    assert "愿意" in page
    admin.post(reverse("commissioners:candidate-action", args=[candidate.pk, "approve"]))
    assert Candidate.objects.get().status == CandidateStatus.APPROVED
    assert Expert.objects.get(pk=commissioner.pk).is_commissioner
    assert client_for("county_admin_b").get(batch.get_absolute_url()).status_code == 404


def test_roster_import_is_all_or_nothing_and_idempotent(world, client_for, make_commissioner, english):
    li = make_commissioner("li")
    Expert.objects.filter(pk=li.pk).update(phone="13905540001")
    selection.open_batch(world.users["county_admin"], county=world.areas["county_a"], year=YEAR, title="第一批")
    client = client_for("county_admin")
    header = ["County (division code)", "Year", "Name", "Phone", "Nominated by"]
    bad = xlsx(
        [header, ["340422000000", YEAR, "li", "13905540001", ""], ["340422000000", YEAR, "nobody", "13905540009", ""]]
    )
    report = client.post(reverse("commissioners:roster-import"), {"file": bad}).context["report"]
    assert [e.row for e in report.errors] == [3] and not Candidate.objects.exists()
    good = [header, ["340422000000", YEAR, "li", "13905540001", "安徽农业大学"]]
    assert client.post(reverse("commissioners:roster-import"), {"file": xlsx(good)}).context["report"].created == 1
    report = client.post(reverse("commissioners:roster-import"), {"file": xlsx(good)}).context["report"]
    assert (report.created, report.unchanged) == (0, 1)
    assert Candidate.objects.get().status == CandidateStatus.APPROVED
    exported = client.get(reverse("commissioners:candidate-list"), {"export": "csv"})
    assert "13905540001" in b"".join(exported.streaming_content).decode("utf-8-sig")


def test_service_log_export_imports_back(world, client_for, make_commissioner, english):
    li = make_commissioner("li")
    Expert.objects.filter(pk=li.pk).update(phone="13905540001")
    li.refresh_from_db()
    logs.log_service(
        li.user,
        village=world.areas["village_a1"],
        kind=ServiceKind.TRAINING,
        served_on=on(3),
        summary="培训",
        participants=9,
        households=[world.households["household_a1"]],
        varieties="稻虾1号",
    )
    client = client_for("county_admin")
    exported = b"".join(client.get(reverse("commissioners:log-list"), {"export": "csv"}).streaming_content)
    upload = SimpleUploadedFile("logs.csv", exported)
    report = client.post(reverse("commissioners:log-import"), {"file": upload}).context["report"]
    assert report.ok and report.created == 1
    imported = ServiceLog.objects.filter(status=LogStatus.CONFIRMED).get()
    assert (imported.participants, imported.new_varieties, imported.households.count()) == (9, 1, 1)


def test_agreement_pages_show_progress(world, client_for, commissioner, english):
    admin = client_for("county_admin")
    pairing = Pairing.objects.get(expert=commissioner)
    admin.post(
        reverse("commissioners:agreement-create"),
        {
            "pairing": pairing.pk,
            "starts_on": on(1).isoformat(),
            "ends_on": on(12, 31).isoformat(),
            "target_trainings": 4,
            "target_trainees": 0,
            "target_varieties": 0,
            "target_techniques": 0,
            "target_households": 0,
        },
    )
    agreement = Agreement.objects.get()
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test")
    admin.post(
        reverse("commissioners:agreement-action", args=[agreement.pk, "sign"]),
        {"signed_on": on(1, 2).isoformat(), "scan": scan},
    )
    agreement.refresh_from_db()
    assert agreement.status == "signed" and agreement.scan
    page = admin.get(agreement.get_absolute_url()).content.decode()
    assert "Target: trainings" in page and "0 / 4" not in page
    assert admin.get(reverse("commissioners:agreement-scan", args=[agreement.pk])).status_code == 200
    assert (
        client_for("county_admin_b").get(reverse("commissioners:agreement-scan", args=[agreement.pk])).status_code
        == 404
    )


def test_reports_and_forms_open_on_the_latest_year_with_commissioner_work(world, client_for, make_commissioner):
    """In 2026 a county whose data end in 2020 (the demo) sees its last year, not an empty current one."""
    li = make_commissioner("li", villages=())
    experts.pair_commissioner(world.users["county_admin"], li, world.areas["village_a1"], 2020)
    Team.objects.create(county=world.areas["county_a"], year=2021, name="稻渔服务团", leader=li)
    client = client_for("county_admin")
    for name in ("commissioners:statistics", "commissioners:coverage", "commissioners:alerts"):
        assert client.get(reverse(name)).context["year"] == 2021, name
    for name in ("commissioners:appraisal-rubric-form", "commissioners:allocation-create", "commissioners:team-create"):
        assert client.get(reverse(name)).context["form"]["year"].value() == 2021, name
    pairings = client.get(reverse("commissioners:agreement-create")).context["form"].fields["pairing"].queryset
    assert [p.year for p in pairings] == [2020]
    assert client_for("county_admin_b").get(reverse("commissioners:statistics")).context["year"] == date.today().year
