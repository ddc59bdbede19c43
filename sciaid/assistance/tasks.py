"""Celery beat entry points for the demand sweeps (both safe to run twice at once: rows are locked with SKIP LOCKED
and moved by conditional updates), and the repair job for the experts' service records."""

from celery import shared_task

from sciaid.assistance.services import close_unrated, escalate_overdue, rebuild_records


@shared_task(name="sciaid.assistance.close_unrated")
def close_unrated_task() -> int:
    return close_unrated()


@shared_task(name="sciaid.assistance.escalate_overdue")
def escalate_overdue_task() -> int:
    return escalate_overdue()


@shared_task(name="sciaid.assistance.rebuild_expert_records")
def rebuild_expert_records_task() -> int:
    return rebuild_records()
