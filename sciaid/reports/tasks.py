"""Refreshing the stored indicator values: nightly (the Celery beat task below, or `manage.py refresh_indicators`
from cron) and on demand as a job (`schedule_refresh`)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from sciaid.core.jobs import JobHandle, enqueue, job_kind
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.self_inspection import tasks as self_inspection_tasks  # noqa: F401  (registers its job)
from sciaid.reports.services import refresh_indicators

REFRESH_JOB = "reports.refresh_indicators"


@job_kind(REFRESH_JOB)
def refresh(handle: JobHandle) -> dict:
    """Recompute the year's indicators (this year by default) of the counties under the area given by code (or of
    every county)."""
    year = int(handle.params.get("year") or timezone.localdate().year)
    code = handle.params.get("area_code")
    counties = None
    if code:
        root = Area.objects.get(code=code)
        counties = Area.objects.filter(level=AreaLevel.COUNTY, code__range=root.subtree_bounds)
    return {"year": year, "rows": refresh_indicators(year, counties)}


def schedule_refresh(user, year: int, area: Area | None = None):
    """Refresh the year's indicators in a job once the current transaction commits (after an import, say)."""
    return enqueue(REFRESH_JOB, user, {"year": year, "area_code": area.code if area else None})


@shared_task(name="sciaid.reports.refresh_indicators")
def nightly_refresh() -> int:
    """This year's indicators of every county (`CELERY_BEAT_SCHEDULE`), so dashboards above county level are at most
    a day behind the records."""
    return refresh_indicators(timezone.localdate().year)
