"""One way to run a long job: a `Job` row, a registered function, and a runner chosen by settings.

JOBS_BACKEND=thread (the embedded default) runs the job in a thread of the web process after the request's
transaction commits; `sync` runs it inline (tests); `celery` hands its id to a Celery worker over Redis. The job
function reports progress through the row, so the page's progress bar works the same everywhere.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone

from sciaid.core.context import acting_as
from sciaid.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

JobFunction = Callable[["JobHandle"], dict | None]
_registry: dict[str, JobFunction] = {}


def job_kind(name: str):
    """Register a function as the body of jobs of this kind."""

    def register(func: JobFunction) -> JobFunction:
        _registry[name] = func
        return func

    return register


class JobHandle:
    """What a job function sees: its parameters, the requesting user, and ways to report progress."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params
        self.user = job.requested_by

    def set_total(self, total: int) -> None:
        self.job.total = total
        Job.objects.filter(pk=self.job.pk).update(total=total)

    def advance(self, done: int) -> None:
        self.job.progress = done
        Job.objects.filter(pk=self.job.pk).update(progress=done)

    def log(self, line: str) -> None:
        self.job.log += line + "\n"
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)

    def save_result_file(self, name: str, content: bytes) -> None:
        self.job.result_file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)


def enqueue(kind: str, user, params: dict | None = None, input_file=None) -> Job:
    """Record a job and start it once the current transaction commits."""
    if kind not in _registry:
        raise KeyError(f"no job kind {kind!r} is registered")
    job = Job(kind=kind, requested_by=user, params=params or {})
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "input"), input_file, save=False)
    job.save()
    transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def _dispatch(job_id: int) -> None:
    backend = settings.JOBS_BACKEND
    if backend == "celery":
        from sciaid.core.tasks import run_job_task

        run_job_task.delay(job_id)
    elif backend == "thread":
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True, name=f"job-{job_id}").start()
    else:
        run_job(job_id)


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def run_job(job_id: int) -> Job | None:
    """Run one pending job; claiming it with a conditional update means two workers never run the same job."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return None
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    handle = JobHandle(job)
    try:
        with acting_as(job.requested_by):
            result = _registry[job.kind](handle)
    except Exception:
        logger.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), log=handle.job.log + traceback.format_exc()
        )
    else:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.SUCCEEDED, finished_at=timezone.now(), result=result, progress=handle.job.total
        )
    job.refresh_from_db()
    return job


def run_import(handle: JobHandle, importer_class) -> dict:
    """The body of a spreadsheet import job: run `importer_class` on the job's file, reporting progress."""

    def progress(done: int, total: int) -> None:
        if handle.job.total != total:
            handle.set_total(total)
        handle.advance(done)

    with handle.job.input_file.open("rb") as uploaded:
        uploaded.name = handle.job.input_file.name
        report = importer_class(handle.user).run(uploaded, progress)
    return report.as_dict()
