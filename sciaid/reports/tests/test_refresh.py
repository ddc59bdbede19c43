"""The refresh as operators run it: the command, the job, and two refreshes at once on PostgreSQL."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sciaid.core.models import Job, JobStatus
from sciaid.regions.tests.test_imports import household_row, import_households
from sciaid.reports.indicators import REGISTRY
from sciaid.reports.models import IndicatorValue
from sciaid.reports.services import refresh_indicators
from sciaid.reports.tasks import REFRESH_JOB, nightly_refresh, refresh_area, schedule_refresh
from sciaid.testing import at_once

#: Rows of one county for one year: a whole-year row for every additive indicator, and twelve more for the monthly.
ROWS_PER_COUNTY = sum(13 if i.monthly else 1 for i in REGISTRY.values() if i.additive)


def test_the_command_refreshes_a_year(world, data):
    out = StringIO()
    call_command("refresh_indicators", "--year", "2020", stdout=out)
    assert out.getvalue().strip() == f"{2 * ROWS_PER_COUNTY} indicator values of 2020 written"
    assert IndicatorValue.objects.get(key="funds.spent", area=world.county_a, year=2020, month=0).value == 287606


def test_the_command_refreshes_the_counties_under_an_area(world, data):
    call_command("refresh_indicators", "--year", "2020", "--area", world.county_b.code, stdout=StringIO())
    assert set(IndicatorValue.objects.values_list("area", flat=True)) == {world.county_b.pk}


def test_the_nightly_task_refreshes_this_year_of_every_county(world, data, settings):
    assert settings.CELERY_BEAT_SCHEDULE["reports-refresh-indicators"]["task"] == nightly_refresh.name
    year = timezone.localdate().year
    assert nightly_refresh() == 2 * ROWS_PER_COUNTY
    assert set(IndicatorValue.objects.values_list("year", flat=True)) == {year}
    assert set(IndicatorValue.objects.values_list("area", flat=True)) == {world.county_a.pk, world.county_b.pk}


def test_the_command_refuses_an_unknown_area_or_a_wild_year(world):
    with pytest.raises(CommandError):
        call_command("refresh_indicators", "--area", "349999000000")
    with pytest.raises(CommandError):
        call_command("refresh_indicators", "--year", "1900")


def test_the_job_refreshes_the_years_of_its_parameters(world, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = schedule_refresh(world.admin, [2020], world.city)
    job.refresh_from_db()
    assert job.kind == REFRESH_JOB
    assert job.status == JobStatus.SUCCEEDED, job.log
    assert job.result == {"years": [2020], "rows": 2 * ROWS_PER_COUNTY}
    assert Job.objects.count() == 1
    assert IndicatorValue.objects.filter(year=2020).count() == 2 * ROWS_PER_COUNTY


def test_refreshing_twice_updates_rows_in_place(world, data):
    refresh_indicators(2020)
    first = set(IndicatorValue.objects.values_list("pk", flat=True))
    refresh_indicators(2020)
    assert set(IndicatorValue.objects.values_list("pk", flat=True)) == first


REFRESHERS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_refreshes_neither_duplicate_nor_lose_rows(world, data):
    """Four refreshes of the same year at the same moment, each on its own connection, while no row exists yet:
    every one succeeds, and the table holds each row once with the right value."""
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections: run with DATABASE_URL on PostgreSQL")
    outcomes = at_once(*[lambda: refresh_indicators(2020)] * REFRESHERS)
    assert outcomes == [2 * ROWS_PER_COUNTY] * REFRESHERS
    assert IndicatorValue.objects.count() == 2 * ROWS_PER_COUNTY
    assert IndicatorValue.objects.get(key="funds.spent", area=world.county_a, year=2020, month=0).value == 287606
    assert (
        IndicatorValue.objects.get(key="assistance.demands_received", area=world.county_a, year=2020, month=7).value
        == 2
    )


def households_stored(county, year: int) -> int:
    return IndicatorValue.objects.get(key="regions.households", area=county, year=year, month=0).value


def test_an_import_refreshes_the_importers_county_for_the_stored_years(
    world, data, client_for, django_capture_on_commit_callbacks
):
    refresh_indicators(2020)
    before = households_stored(world.county_a, 2020)
    rows = [household_row(n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = import_households(client_for("county_admin"), rows)
    assert response.status_code in (200, 302), response.content[:300]
    job = Job.objects.get(kind=REFRESH_JOB)
    assert job.status == JobStatus.SUCCEEDED, job.log
    assert job.requested_by == world.county_admin
    assert job.params == {"years": sorted({2020, timezone.localdate().year}), "area_code": world.county_a.code}
    assert households_stored(world.county_a, 2020) == before + 3
    # Only the importer's county: county B keeps the rows of the first refresh.
    assert set(IndicatorValue.objects.filter(area=world.county_b).values_list("year", flat=True)) == {2020}


def test_a_refused_import_refreshes_nothing(world, data, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_households(client_for("county_admin"), [household_row(1, village_code="999999999999")])
    assert not Job.objects.filter(kind=REFRESH_JOB).exists()


def test_an_import_below_a_county_refreshes_the_county(world):
    assert refresh_area(world.village_a1) == world.county_a
    assert refresh_area(world.township_a1) == world.county_a
    assert refresh_area(world.city) == world.city
    assert refresh_area(None) is None
