"""Celery entry point for jobs: the worker only claims and runs the row; the logic is in the job function."""

from celery import shared_task

from sciaid.core.jobs import run_job


@shared_task(name="sciaid.run_job")
def run_job_task(job_id: int) -> None:
    run_job(job_id)
