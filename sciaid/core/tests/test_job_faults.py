"""Jobs under faults: the same work submitted twice joins the first job; a job whose process died (killed mid-job)
left nothing of its work, is recognised as dead, and runs again when submitted again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.core import jobs
from sciaid.core.jobs import JobHandle, enqueue, is_dead, job_kind, run_job
from sciaid.core.models import CalendarDay, Job, JobStatus
from sciaid.testing import at_once

#: Set in the worker process that the test kills: the job then stops halfway and waits to be killed.
HANG = "SCIAID_TEST_JOB_HANG"
DAYS = 10


@job_kind("core_tests.calendar")
def write_calendar(handle: JobHandle) -> dict:
    """Writes DAYS calendar days in one transaction, like an import; with HANG set, waits halfway to be killed."""
    handle.set_total(DAYS)
    with transaction.atomic():
        for offset in range(DAYS):
            CalendarDay.objects.create(date=date(2031, 1, 1) + timedelta(days=offset), name=f"day {offset}")
            if offset == DAYS // 2 and os.environ.get(HANG):
                Path(os.environ[HANG]).write_text("halfway", encoding="utf-8")
                time.sleep(600)
    return {"days": DAYS}


@contextmanager
def live_worker(job: Job):
    """On PostgreSQL, hold the job's advisory lock from another connection, as the process running it does."""
    if connection.vendor != "postgresql":
        yield
        return
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            assert jobs._try_lock(job.pk)
            holding.set()
            done.wait(30)
            jobs._unlock(job.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=hold)
    worker.start()
    holding.wait(10)
    try:
        yield
    finally:
        done.set()
        worker.join()


def test_the_same_work_submitted_twice_joins_the_waiting_job(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = enqueue("core_tests.calendar", world.county_admin, {"year": 2031})
        second = enqueue("core_tests.calendar", world.county_admin, {"year": 2031})
        other = enqueue("core_tests.calendar", world.county_admin, {"year": 2032})
        someone_else = enqueue("core_tests.calendar", world.triage, {"year": 2031})
    assert second.pk == first.pk
    assert len({first.pk, other.pk, someone_else.pk}) == 3
    assert len(callbacks) == 3, "the joined submission starts nothing"


def test_the_same_file_joins_and_its_second_copy_is_not_kept(world, media_root):
    first = enqueue("core_tests.calendar", world.county_admin, input_file=ContentFile(b"a,b\n1,2\n", name="a.csv"))
    files_before = sorted(p for p in Path(media_root).rglob("*") if p.is_file())
    again = enqueue("core_tests.calendar", world.county_admin, input_file=ContentFile(b"a,b\n1,2\n", name="b.csv"))
    changed = enqueue("core_tests.calendar", world.county_admin, input_file=ContentFile(b"a,b\n1,3\n", name="a.csv"))
    assert again.pk == first.pk
    assert changed.pk != first.pk
    assert sorted(p for p in Path(media_root).rglob("*") if p.is_file()) == sorted(
        [*files_before, Path(changed.input_file.path)]
    )


def test_finished_work_can_be_submitted_again(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue("core_tests.calendar", world.county_admin, {"year": 2031})
    assert Job.objects.get(pk=first.pk).status == JobStatus.SUCCEEDED
    CalendarDay.objects.filter(date__year=2031).delete()
    with django_capture_on_commit_callbacks(execute=True):
        again = enqueue("core_tests.calendar", world.county_admin, {"year": 2031})
    assert again.pk != first.pk
    assert Job.objects.get(pk=again.pk).status == JobStatus.SUCCEEDED


def silent_running_job(user) -> Job:
    """A job left running by a process that died long ago: no lock held, no heartbeat since."""
    long_ago = timezone.now() - timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    return Job.objects.create(
        kind="core_tests.calendar",
        requested_by=user,
        params={"year": 2031},
        dedupe_key=jobs.dedupe_key("core_tests.calendar", user, {"year": 2031}),
        status=JobStatus.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )


def test_a_dead_job_is_failed_and_replaced_when_the_work_is_submitted_again(world, django_capture_on_commit_callbacks):
    dead = silent_running_job(world.county_admin)
    assert is_dead(dead)

    with django_capture_on_commit_callbacks(execute=True):
        again = enqueue("core_tests.calendar", world.county_admin, {"year": 2031})

    dead.refresh_from_db()
    assert again.pk != dead.pk
    assert dead.status == JobStatus.FAILED
    assert "stopped before it finished" in dead.log
    assert Job.objects.get(pk=again.pk).result == {"days": DAYS}


def test_a_worker_reclaims_a_dead_running_job(world):
    dead = silent_running_job(world.county_admin)
    finished = run_job(dead.pk)
    assert finished.status == JobStatus.SUCCEEDED
    assert CalendarDay.objects.filter(date__year=2031).count() == DAYS


def test_the_sweep_marks_dead_jobs_failed(world):
    dead = silent_running_job(world.county_admin)
    assert jobs.fail_dead_jobs() == 1
    assert Job.objects.get(pk=dead.pk).status == JobStatus.FAILED


def test_a_job_with_a_live_worker_is_neither_dead_nor_claimed(world):
    job = Job.objects.create(
        kind="core_tests.calendar",
        requested_by=world.county_admin,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now(),
    )
    with live_worker(job):
        assert not is_dead(job)
        assert run_job(job.pk) is None
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


# --- PostgreSQL: real connections, a real killed process ---------------------------------------------------------


#: Decided before the database is set up: a transactional test's set-up is costly and skipping inside it is late.
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent connections: run with DATABASE_URL on PostgreSQL"
)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_submissions_of_the_same_work_make_one_job(settings):
    settings.JOBS_BACKEND = "celery"  # recorded only: no worker in this test
    user = User.objects.create_user("clerk", password="pw")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "_dispatch", lambda job_id: None)
        outcomes = at_once(*[lambda: enqueue("core_tests.calendar", user, {"year": 2031}).pk] * 6)
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert Job.objects.count() == 1


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_killed_mid_work_leaves_nothing_and_runs_again(tmp_path):
    user = User.objects.create_user("clerk", password="pw")
    job = Job.objects.create(
        kind="core_tests.calendar",
        requested_by=user,
        params={"year": 2031},
        dedupe_key=jobs.dedupe_key("core_tests.calendar", user, {"year": 2031}),
    )
    halfway = tmp_path / "halfway"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); import sciaid.core.tests.test_job_faults; "
            f"from sciaid.core.jobs import run_job; run_job({job.pk})",
        ],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": database_url(), HANG: str(halfway)},
    )
    try:
        wait_for(halfway.exists)
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING
        assert not is_dead(job), "its process is alive"
        assert enqueue("core_tests.calendar", user, {"year": 2031}).pk == job.pk, "the running job is joined"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)

    # The server notices the dropped connection, rolls its transaction back and releases its lock.
    wait_for(lambda: is_dead(Job.objects.get(pk=job.pk)))
    assert CalendarDay.objects.filter(date__year=2031).count() == 0, "nothing of the killed work was kept"

    again = enqueue("core_tests.calendar", user, {"year": 2031})

    assert again.pk != job.pk
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert Job.objects.get(pk=again.pk).status == JobStatus.SUCCEEDED
    assert CalendarDay.objects.filter(date__year=2031).count() == DAYS
