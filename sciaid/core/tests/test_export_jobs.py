"""Large list exports run as jobs: the job serves the same list again for the same user and query string (their
jurisdiction and role as they are when it runs), shows its progress, and keeps the file for its owner only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.jobs import EXPORT_JOB
from sciaid.core.models import Job, JobStatus
from sciaid.regions.models import Household


def rows_of(body: bytes, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def add_households(village, count: int) -> None:
    Household.objects.bulk_create(
        Household(number=f"{village.code}{n:05d}", village=village, head_name=f"户{n}") for n in range(count)
    )


@pytest.fixture
def threshold(settings):
    settings.EXPORT_JOB_THRESHOLD = 5
    return settings.EXPORT_JOB_THRESHOLD


def export(client, fmt="csv", capture=None, **query):
    url = reverse("regions:household-list")
    if capture is None:
        return client.get(url, {"export": fmt, **query})
    with capture(execute=True):
        return client.get(url, {"export": fmt, **query})


def test_a_small_export_downloads_at_once(world, client_for, threshold):
    add_households(world.village_a2, threshold - 3)  # county A now has exactly `threshold` households

    response = export(client_for("county_admin"))

    assert response.status_code == 200 and response.streaming
    assert len(rows_of(downloaded(response), "csv")) == 1 + threshold
    assert not Job.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_becomes_a_job_whose_file_has_every_row(
    world, client_for, threshold, django_capture_on_commit_callbacks, fmt
):
    add_households(world.village_a2, 30)
    client = client_for("county_admin")

    response = export(client, fmt, django_capture_on_commit_callbacks)

    job = Job.objects.get(kind=EXPORT_JOB)
    assert response.status_code == 302 and response.url == reverse("core:job-detail", args=[job.pk])
    assert (job.status, job.requested_by, job.total, job.result) == (
        JobStatus.SUCCEEDED,
        world.county_admin,
        33,
        {"exported": 33},
    )
    page = client.get(response.url).content.decode()
    assert reverse("core:job-result", args=[job.pk]) in page and 'value="100"' in page
    rows = rows_of(downloaded(client.get(reverse("core:job-result", args=[job.pk]))), fmt)
    expected = set(Household.objects.for_user(world.county_admin).values_list("number", flat=True))
    assert len(rows) == 34 and {row[0] for row in rows[1:]} == expected
    # The same columns and personal data as the direct download of a small list.
    assert rows[0] == rows_of(downloaded(export(client, fmt, q=world.household_a1.number)), fmt)[0]
    assert world.household_a1.id_number in [row[5] for row in rows]


def test_the_job_keeps_the_query_string_and_the_language(
    world, client_for, threshold, django_capture_on_commit_callbacks
):
    add_households(world.village_a2, 30)
    add_households(world.village_a3, 30)
    client = client_for("county_admin")

    with django_capture_on_commit_callbacks(execute=True):
        client.get("/en" + reverse("regions:household-list"), {"export": "csv", "village": world.village_a3.code})

    job = Job.objects.get()
    rows = rows_of(downloaded(client.get(reverse("core:job-result", args=[job.pk]))), "csv")
    assert rows[0][0] == "Household number"
    assert {row[1] for row in rows[1:]} == {world.village_a3.code} and len(rows) == 1 + 31


def test_the_job_applies_the_jurisdiction_the_user_has_when_it_runs(
    world, client_for, threshold, django_capture_on_commit_callbacks
):
    add_households(world.village_a2, 30)
    add_households(world.village_b1, 10)
    client = client_for("county_admin")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export(client)
    # Before the job runs, the county admin is moved to county B.
    RoleGrant.objects.filter(user=world.county_admin).update(area=world.county_b)
    for callback in callbacks:
        callback()

    job = Job.objects.get()
    rows = rows_of(downloaded(client.get(reverse("core:job-result", args=[job.pk]))), "csv")
    assert {row[1] for row in rows[1:]} == {world.village_b1.code}


def test_a_user_who_lost_the_role_gets_a_failed_job_and_no_file(
    world, client_for, threshold, django_capture_on_commit_callbacks
):
    add_households(world.village_a2, 30)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export(client_for("county_admin"))
    RoleGrant.objects.filter(user=world.county_admin).delete()
    for callback in callbacks:
        callback()

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and not job.result_file
    assert "may no longer open this list" in job.log


@pytest.mark.parametrize("other", ["county_admin_b", "admin", "superuser"])
def test_nobody_but_the_owner_downloads_the_result(
    world, client_for, client, threshold, django_capture_on_commit_callbacks, other
):
    add_households(world.village_a2, 30)
    export(client_for("county_admin"), capture=django_capture_on_commit_callbacks)
    job = Job.objects.get()
    if other == "superuser":
        client.force_login(User.objects.create_superuser("root", password="pw"))
    else:
        client = client_for(other)

    assert client.get(reverse("core:job-result", args=[job.pk])).status_code == 404
