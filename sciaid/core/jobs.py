"""One way to run a long job: a `Job` row, a registered function, and a runner chosen by settings.

JOBS_BACKEND=thread (the embedded default) runs the job in a thread of the web process after the request's
transaction commits; `sync` runs it inline (tests); `celery` hands its id to a Celery worker over Redis. The job
function reports progress through the row, so the page's progress bar works the same everywhere.

Faults. The same work submitted twice while the first is waiting or running (a double click, a re-sent form, two
tabs) joins the first job: `dedupe_key` is unique among active jobs. A process killed mid-job (OOM, deploy, SIGKILL)
leaves its job "running" with nothing of its work committed (imports write in one transaction); such a job is
recognised as dead and can run again. On PostgreSQL the running process holds an advisory lock on the job for its
connection's life, so "dead" is exact: the server drops the lock when the connection goes. Elsewhere (SQLite, one
machine) a job silent for JOB_STALE_MINUTES — no claim, no progress — is taken for dead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat
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
#: Statuses of a job that still has work to do: at most one per dedupe key.
ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)
#: First key of the PostgreSQL advisory locks held by running jobs (the second is the job's id).
LOCK_CLASS = 0x5C1A1D


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
        Job.objects.filter(pk=self.job.pk).update(total=total, heartbeat_at=timezone.now())

    def advance(self, done: int) -> None:
        self.job.progress = done
        Job.objects.filter(pk=self.job.pk).update(progress=done, heartbeat_at=timezone.now())

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


def file_digest(upload) -> str:
    """SHA-256 of an uploaded file's content, read in chunks (an import may be 50 MB)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def dedupe_key(kind: str, user, params: dict, input_digest: str = "") -> str:
    """What makes two jobs the same work: kind, requester (the result is theirs: their jurisdiction, their
    language), parameters and the input file's content."""
    payload = json.dumps([kind, user.pk, params, input_digest], sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(payload.encode()).hexdigest()


def enqueue(kind: str, user, params: dict | None = None, input_file=None) -> Job:
    """Record a job and start it once the current transaction commits; or, when the same work is already waiting or
    running, return that job instead (a job found dead is marked failed and replaced)."""
    if kind not in _registry:
        raise KeyError(f"no job kind {kind!r} is registered")
    params = params or {}
    key = dedupe_key(kind, user, params, file_digest(input_file) if input_file is not None else "")
    active = active_job(key)
    if active is not None:
        return active
    job = Job(kind=kind, requested_by=user, params=params, dedupe_key=key)
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "input"), input_file, save=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:
        # The same work was submitted a moment ago by another request: join it; the copy of the file is not needed.
        if job.input_file:
            job.input_file.delete(save=False)
        joined = Job.objects.filter(dedupe_key=key, status__in=ACTIVE).first()
        # Finished already in between: nothing to join, so submit again.
        return joined or enqueue(kind, user, params, input_file)
    transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def active_job(key: str) -> Job | None:
    """The live job waiting or running for `key`, if any; a dead one found on the way is marked failed."""
    job = Job.objects.filter(dedupe_key=key, status__in=ACTIVE).first()
    if job is not None and is_dead(job):
        fail_dead(job)
        return None
    return job


# --- dead jobs -----------------------------------------------------------------------------------------------------


def stale_before() -> datetime:
    return timezone.now() - timedelta(minutes=settings.JOB_STALE_MINUTES)


def _uses_locks() -> bool:
    return connection.vendor == "postgresql"


def _try_lock(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, job_id % 2**31])
        return cursor.fetchone()[0]


def _unlock(job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, job_id % 2**31])


def is_dead(job: Job) -> bool:
    """Whether a job that says it is running has lost its process (see the module's docstring). A waiting job is
    dead when nothing claimed it for JOB_STALE_MINUTES and no Celery queue holds it (the thread that was to run it
    died with its web process)."""
    if job.status == JobStatus.PENDING:
        return settings.JOBS_BACKEND != "celery" and job.created_at < stale_before()
    if job.status != JobStatus.RUNNING:
        return False
    if _uses_locks():
        if not _try_lock(job.pk):
            return False
        _unlock(job.pk)
        return True
    return job.heartbeat_at is None or job.heartbeat_at < stale_before()


def fail_dead(job: Job) -> bool:
    """Mark a dead job failed (if it is still in the state it was found in), saying why in its log."""
    line = "The process running this job stopped before it finished; nothing of it was kept. Run it again.\n"
    return bool(
        Job.objects.filter(pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), log=Concat("log", Value(line))
        )
    )


def fail_dead_jobs() -> int:
    """Mark every dead job failed, so its owner sees it and can run it again; the periodic sweep calls this."""
    return sum(fail_dead(job) for job in Job.objects.filter(status__in=ACTIVE) if is_dead(job))


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
    """Run one waiting job, or one whose process died; claiming it with a conditional update (and, on PostgreSQL, its
    advisory lock) means two workers never run the same job at once."""
    if not _claim(job_id):
        return None
    try:
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
    finally:
        if _uses_locks():
            _unlock(job_id)
    job.refresh_from_db()
    return job


def _claim(job_id: int) -> bool:
    """Take the job: waiting, or running with its process gone (its lock free on PostgreSQL, its heartbeat old
    elsewhere). A re-run starts from nothing: its earlier work was never committed."""
    if _uses_locks():
        if not _try_lock(job_id):
            return False  # a live process runs it
        claimable = Q(status__in=ACTIVE)
    else:
        claimable = Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before())
    now = timezone.now()
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0
    )
    if claimed != 1 and _uses_locks():
        _unlock(job_id)
    return claimed == 1


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
