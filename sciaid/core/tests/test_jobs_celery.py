"""A household import handed to a real Celery worker over Redis, as in production.

The worker is another process (`.ci/run` starts it), so this test cannot use pytest-django's throw-away test database
or its rolled-back transactions: it commits to the database named in DATABASE_URL, which the worker also uses, and
pytest-django empties that database afterwards. To keep that from ever touching real data, the database's name must
start with `test_`.

Run it by hand with a worker running on the same environment:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_sciaid_celery
    export REDIS_URL=redis://127.0.0.1:6379/15 JOBS_BACKEND=celery MEDIA_ROOT=/tmp/sciaid-celery-media
    .venv/bin/celery -A sciaid worker --pool=solo -l warning &
    make test-celery
"""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from sciaid import settings as project_settings
from sciaid.core.jobs import enqueue
from sciaid.core.models import ChangeAction, Job, JobStatus, ObjectChange
from sciaid.core.privacy import make_id_number
from sciaid.regions.models import Household, HouseholdIncome
from sciaid.reports.tasks import REFRESH_JOB

pytestmark = [
    pytest.mark.celery,
    pytest.mark.skipif(
        os.environ.get("JOBS_BACKEND") != "celery" or not os.environ.get("REDIS_URL"),
        reason="needs a running Celery worker: set REDIS_URL and JOBS_BACKEND=celery (as .ci/run does)",
    ),
]

#: How long a job may take to be picked up and finished by the worker before the test gives up.
JOB_TIMEOUT_SECONDS = 60
HEADER = ",".join(
    [
        "Household number",
        "Village division code",
        "Head of household",
        "Citizen ID number",
        "Phone",
        "Members",
        "Main cause of poverty",
    ]
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker):
    """Use the database in DATABASE_URL itself (the worker's), migrated, instead of creating a test database."""
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or not str(name).startswith("test_"):
        pytest.fail(
            f"The Celery test commits to and then empties its database; give it a PostgreSQL database whose name "
            f"starts with test_ (DATABASE_URL names {name!r})."
        )
    with django_db_blocker.unblock():
        call_command("migrate", interactive=False, verbosity=0)


@pytest.fixture
def worker_settings(settings):
    """Undo the in-process test defaults: jobs go to Celery, and files go where the worker reads them."""
    settings.JOBS_BACKEND = "celery"
    settings.MEDIA_ROOT = project_settings.MEDIA_ROOT
    return settings


def household_csv(world, rows: int, bad_row: int | None = None) -> SimpleUploadedFile:
    villages = [world.village_a1, world.village_a2, world.village_a3]
    lines = [HEADER]
    for i in range(rows):
        village = villages[i % len(villages)]
        phone = "12345" if i == bad_row else f"1380554{i:04d}"
        id_number = make_id_number(100 + i, region=village.code[:6])
        lines.append(f"{village.code}9{i:03d},{village.code},户主{i},{id_number},{phone},{1 + i % 5},illness")
    return SimpleUploadedFile("households.csv", ("\n".join(lines) + "\n").encode())


@pytest.fixture
def idle_worker():
    """Wait, after the test, until the worker has finished every job the test set off, including those that jobs
    enqueue themselves (a successful import refreshes the indicators): pytest-django's flush would otherwise truncate
    the tables under a running job, and deadlock with it."""
    yield
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while Job.objects.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING]).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the worker still has jobs after {JOB_TIMEOUT_SECONDS} s: is the Celery worker running?")
        time.sleep(0.2)


def wait_for(job: Job) -> Job:
    deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.2)
    pytest.fail(f"job {job.pk} still {job.status} after {JOB_TIMEOUT_SECONDS} s: is the Celery worker running?")


@pytest.mark.django_db(transaction=True)
def test_a_worker_imports_households_and_reports_progress(world, worker_settings, idle_worker):
    before = Household.objects.count()

    job = enqueue("regions.import_households", world.county_admin, input_file=household_csv(world, 30))
    job = wait_for(job)

    assert job.status == JobStatus.SUCCEEDED, job.log
    assert job.result["created"] == 30
    assert job.result["errors"] == []
    assert (job.progress, job.total, job.percent) == (30, 30, 100)
    assert job.started_at is not None
    assert Household.objects.count() == before + 30
    household = Household.objects.get(number=f"{world.village_a2.code}9001")
    assert household.village == world.village_a2
    assert household.head_name == "户主1"
    assert household.id_number == make_id_number(101, region=world.village_a2.code[:6])
    assert household.created_by == world.county_admin
    imported = ObjectChange.objects.filter(action=ChangeAction.CREATE, note="import", content_type__model="household")
    assert imported.count() == 30
    assert set(imported.values_list("user__username", flat=True)) == {"county_admin"}
    refresh = wait_for(Job.objects.get(kind=REFRESH_JOB, requested_by=world.county_admin))
    assert refresh.status == JobStatus.SUCCEEDED, refresh.log


@pytest.mark.django_db(transaction=True)
def test_a_worker_writes_nothing_when_one_row_is_bad(world, worker_settings, idle_worker):
    before = (Household.objects.count(), HouseholdIncome.objects.count())

    job = wait_for(enqueue("regions.import_households", world.county_admin, input_file=household_csv(world, 12, 7)))

    assert job.status == JobStatus.SUCCEEDED, job.log
    assert job.result["created"] == 0
    # Row 9 of the sheet (the header is row 1) holds the bad phone number.
    assert [error["row"] for error in job.result["errors"]] == [9]
    assert (Household.objects.count(), HouseholdIncome.objects.count()) == before
