"""One way to run a long job: a `Job` row, a registered function, and a runner chosen by settings.

JOBS_BACKEND=thread (the embedded default) runs the job in a thread of the web process after the request's
transaction commits; `sync` runs it inline (tests); `celery` hands its id to a Celery worker over Redis. The job
function reports progress through the row, so the page's progress bar works the same everywhere.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.http import HttpRequest, QueryDict
from django.urls import resolve
from django.utils import timezone, translation

from sciaid.core.context import acting_as
from sciaid.core.models import Job, JobStatus
from sciaid.core.spreadsheets import write_export

logger = logging.getLogger(__name__)

JobFunction = Callable[["JobHandle"], dict | None]
_registry: dict[str, JobFunction] = {}

EXPORT_JOB = "core.export"
#: Rows written between two progress reports of an export job.
EXPORT_PROGRESS_STEP = 2000


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

    def save_result_file(self, name: str, content: bytes | File) -> None:
        self.job.result_file.save(name, content if isinstance(content, File) else ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk).update(result_file=self.job.result_file.name)

    def save_export(self, rows: Iterable[list], total: int, fmt: str, name: str) -> None:
        """Write an export (header row first, then `total` rows) as the job's result file, reporting progress."""
        self.set_total(total)

        def counted():
            for index, row in enumerate(rows):
                if index and index % EXPORT_PROGRESS_STEP == 0:
                    self.advance(index)
                yield row

        # Through a temporary file, not memory: a province-wide list is hundreds of megabytes.
        with tempfile.TemporaryFile() as target:
            write_export(counted(), fmt, target)
            target.seek(0)
            self.save_result_file(f"{name}.{fmt}", File(target))


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


# --- large list exports -----------------------------------------------------------------------------------------


def export_params(request) -> dict:
    """What an export job needs to serve the same list again: the page, its query string (with the format), the
    language of its headers."""
    return {"path": request.path_info, "query": request.GET.urlencode(), "language": translation.get_language()}


@job_kind(EXPORT_JOB)
def export_list(handle: JobHandle) -> dict:
    """Serve the list page again for the requester, with the same query string, and keep its export as the result.

    The request is replayed through the view itself (its role check, its jurisdiction scoping, its filters), never
    from a stored queryset: what the job writes is what the requester may see when it runs. The view recognises the
    replay by `request.export_job` and writes the file through `save_export` instead of streaming it.
    """
    params = handle.params
    with translation.override(params["language"]):
        match = resolve(params["path"])
        request = HttpRequest()
        request.method = "GET"
        request.path = request.path_info = params["path"]
        request.GET = QueryDict(params["query"])
        request.user = handle.user
        request.LANGUAGE_CODE = params["language"]
        request.export_job = handle
        try:
            match.func(request, *match.args, **match.kwargs)
        except PermissionDenied:
            handle.log("The requester may no longer open this list; nothing was exported.")
            raise
    if not handle.job.result_file:
        raise RuntimeError(f"{params['path']} wrote no export")
    return {"exported": handle.job.total}
