"""Celery beat entry points for the demand sweeps; both are safe to run twice at once (conditional updates)."""

from celery import shared_task

from sciaid.assistance.services import close_unrated, escalate_overdue


@shared_task(name="sciaid.assistance.close_unrated")
def close_unrated_task() -> int:
    return close_unrated()


@shared_task(name="sciaid.assistance.escalate_overdue")
def escalate_overdue_task() -> int:
    return escalate_overdue()
