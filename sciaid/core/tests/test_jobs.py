"""Jobs: a row per long piece of work, run once, with its progress, result or failure kept for the user."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from sciaid.core.jobs import JobHandle, enqueue, job_kind, run_job
from sciaid.core.models import Job, JobStatus
from sciaid.core.tasks import run_job_task
from sciaid.core.tests.test_job_faults import live_worker
from sciaid.regions.models import Household


@job_kind("core_tests.count")
def count(handle: JobHandle) -> dict:
    handle.set_total(3)
    for done in range(1, 4):
        handle.advance(done)
    handle.log("counted")
    return {"counted": 3, "by": handle.user.username}


@job_kind("core_tests.household_type")
def household_type(handle: JobHandle) -> dict:
    """What an audit row written by a job would point at for a household."""
    return {"content_type": ContentType.objects.get_for_model(Household).pk}


@job_kind("core_tests.fail")
def fail(handle: JobHandle) -> None:
    handle.log("starting")
    raise RuntimeError("the spreadsheet vanished")


def test_the_sync_backend_runs_a_job_when_the_transaction_commits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("core_tests.count", world.county_admin, {"county": "A"})
        assert Job.objects.get(pk=job.pk).status == JobStatus.PENDING

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"counted": 3, "by": "county_admin"}
    assert (job.progress, job.total, job.percent) == (3, 3, 100)
    assert job.params == {"county": "A"}
    assert job.log == "counted\n"
    assert job.started_at <= job.finished_at


def test_a_job_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue("core_tests.count", world.county_admin)
    # Nothing runs before the request's transaction commits, so a rolled-back request never starts its job.
    assert len(callbacks) == 1
    assert Job.objects.get().status == JobStatus.PENDING


def test_a_job_is_claimed_once(world):
    job = Job.objects.create(kind="core_tests.count", requested_by=world.county_admin)

    assert run_job(job.pk).status == JobStatus.SUCCEEDED
    assert run_job(job.pk) is None
    job.refresh_from_db()
    assert job.log == "counted\n"


def test_a_running_job_is_not_claimed_by_a_second_worker(world):
    job = Job.objects.create(
        kind="core_tests.count", requested_by=world.county_admin, status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )

    with live_worker(job):
        assert run_job(job.pk) is None
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_failure_is_recorded_with_its_log_and_traceback(world):
    job = Job.objects.create(kind="core_tests.fail", requested_by=world.county_admin)

    finished = run_job(job.pk)

    assert finished.status == JobStatus.FAILED
    assert finished.is_finished
    assert finished.log.startswith("starting\n")
    assert "RuntimeError: the spreadsheet vanished" in finished.log
    assert finished.finished_at is not None
    assert finished.result is None


def test_an_unknown_kind_is_refused_before_a_row_is_written(world):
    with pytest.raises(KeyError):
        enqueue("core_tests.nothing", world.county_admin)
    assert not Job.objects.exists()


def test_a_job_is_its_requesters_own(world, client_for):
    job = Job.objects.create(kind="core_tests.count", requested_by=world.county_admin)
    url = reverse("core:job-detail", args=[job.pk])

    assert list(Job.objects.for_user(world.county_admin)) == [job]
    assert client_for("county_admin").get(url).status_code == 200
    assert client_for("county_admin_b").get(url).status_code == 404


@job_kind("core_tests.report")
def report(handle: JobHandle) -> dict:
    handle.save_result_file("report.csv", "户主,身份证号\n王,1101**********002X\n".encode())
    return {}


def test_a_result_file_is_downloaded_by_its_requester_only(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue("core_tests.report", world.county_admin)
    url = reverse("core:job-result", args=[job.pk])

    response = client_for("county_admin").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "王".encode() in b"".join(response.streaming_content)
    assert client_for("county_admin_b").get(url).status_code == 404


def test_a_job_without_a_result_file_has_nothing_to_download(world, client_for):
    job = Job.objects.create(kind="core_tests.count", requested_by=world.county_admin)
    assert client_for("county_admin").get(reverse("core:job-result", args=[job.pk])).status_code == 404


def test_a_worker_forgets_content_type_ids_a_restore_changed(world):
    """A long-lived Celery worker cached content types before `manage.py restore` gave the models other ids: each job
    reads them afresh, so its audit rows never point at a stale id."""
    real = ContentType.objects.get_for_model(Household)
    ContentType.objects._add_to_cache(
        "default", ContentType(pk=real.pk + 10_000, app_label="regions", model="household")
    )
    assert ContentType.objects.get_for_model(Household).pk != real.pk
    job = Job.objects.create(kind="core_tests.household_type", requested_by=world.county_admin)

    run_job_task(job.pk)

    assert Job.objects.get(pk=job.pk).result == {"content_type": real.pk}
