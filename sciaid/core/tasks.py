"""Celery entry points: the worker only claims and runs the row or sends the message; the logic lives elsewhere."""

from celery import shared_task
from django.contrib.contenttypes.models import ContentType

from sciaid.core.jobs import fail_dead_jobs, run_job
from sciaid.core.notifications import deliver


@shared_task(name="sciaid.run_job")
def run_job_task(job_id: int) -> None:
    """Forget the worker's cached content types first: the process outlives a `manage.py restore` (or a test's
    flush), after which the same models have other content-type ids, and an audit row with a stale id would fail."""
    ContentType.objects.clear_cache()
    run_job(job_id)


@shared_task(name="sciaid.fail_dead_jobs")
def fail_dead_jobs_task() -> int:
    """Mark failed the jobs whose process died, so their owners see it and can run them again."""
    return fail_dead_jobs()


@shared_task(name="sciaid.deliver_notification")
def deliver_notification_task(message: dict, email_to: list[str], sms_to: list[str]) -> None:
    """Send a committed notification's email and SMS copies (sciaid.core.notifications.deliver)."""
    deliver(message, email_to, sms_to)
