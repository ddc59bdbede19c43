"""Refreshing the stored indicator values: nightly (the Celery beat task below, or `manage.py refresh_indicators`
from cron), on demand as a job (`schedule_refresh`), and after every successful import (`refresh_after_import`, the
receiver of `sciaid.core.signals.imported`)."""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.utils import timezone

from sciaid.core.jobs import JobHandle, enqueue, job_kind
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.models import IndicatorValue
from sciaid.reports.self_inspection import tasks as self_inspection_tasks  # noqa: F401  (registers its job)
from sciaid.reports.services import refresh_indicators

REFRESH_JOB = "reports.refresh_indicators"


@job_kind(REFRESH_JOB)
def refresh(handle: JobHandle) -> dict:
    """Recompute the indicators of the years given (this year by default) for the counties under the area given by
    code (or every county)."""
    years = handle.params.get("years") or [timezone.localdate().year]
    counties = counties_under(handle.params.get("area_code"))
    handle.set_total(len(years))
    rows = 0
    for number, year in enumerate(years, start=1):
        rows += refresh_indicators(int(year), counties)
        handle.advance(number)
    return {"years": years, "rows": rows}


def counties_under(code: str | None) -> list[Area] | None:
    """The counties under the area of that code (itself if a county), or None for every county."""
    if not code:
        return None
    root = Area.objects.get(code=code)
    return list(Area.objects.filter(level=AreaLevel.COUNTY, code__range=root.subtree_bounds))


def schedule_refresh(user, years: Iterable[int], area: Area | None = None):
    """Refresh the years' indicators of the counties under `area` (every county when None) in a job, once the
    current transaction commits."""
    return enqueue(REFRESH_JOB, user, {"years": sorted(set(years)), "area_code": area.code if area else None})


def refresh_area(area: Area | None) -> Area | None:
    """What an import by a user of `area` can have changed: the area itself down to a county, the county it lies
    in below (a township's or a village's records count in their county's figures); None (every county) for a user
    without a grant, an operator."""
    if area is None or area.level <= AreaLevel.COUNTY:
        return area
    return Area.objects.get(code=area.ancestor_codes()[AreaLevel.COUNTY - 1])


def refresh_after_import(sender, user, report=None, **kwargs):
    """Receiver of `sciaid.core.signals.imported` (sent once a successful import committed): refresh, in a job, the
    indicators of the importing user's area (its county below a county) for this year and every year already
    stored for it, since an import may hold records of past years (a 2020 ledger imported in 2026). Returns the job."""
    area = refresh_area(user.primary_area())
    stored = IndicatorValue.objects.all()
    if area is not None:
        stored = stored.filter(area__code__range=area.subtree_bounds)
    years = {timezone.localdate().year, *stored.values_list("year", flat=True).distinct().order_by()}
    return schedule_refresh(user, years, area)


@shared_task(name="sciaid.reports.refresh_indicators")
def nightly_refresh() -> int:
    """This year's indicators of every county (`CELERY_BEAT_SCHEDULE`), so dashboards above county level are at most
    a day behind the records."""
    return refresh_indicators(timezone.localdate().year)
