"""The training benchmark at a tiny size: events, registrations, sign-ins and ratings load once, consistently, the
stored figures are recomputed from them and equal the live counts, and every measurement runs (PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.generate import PROVINCE_CODE, bounds, ensure_dataset
from bench.test_bench_smoke import TINY
from bench.training import YEAR, TrainingPlan, ensure_training, measure_training
from sciaid.regions.models import Area
from sciaid.training.models import Attendance, Registration, TrainingEvent
from sciaid.training.tests.test_figures_property import live_statistics, stored_rows

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generator loads data with COPY"),
]

SMALL = TrainingPlan(events=200, attendances=5000)
LABELS = (
    "generate trainings, registrations, sign-ins (COPY)",
    "training statistics page (county)",
    "training API (county)",
    "training statistics page (province)",
    "training API (province)",
)


@pytest.mark.django_db
def test_it_loads_trainings_once_and_measures_every_row():
    ensure_dataset(TINY, log=lambda line: None)
    seconds, generated = ensure_training(SMALL, TINY.key, log=lambda line: None)
    assert generated
    assert TrainingEvent.objects.count() == SMALL.events
    assert 0.8 * SMALL.attendances < Attendance.objects.count() < 1.2 * SMALL.attendances
    assert not Registration.objects.filter(attendances__isnull=True).exists()
    assert not ensure_training(SMALL, TINY.key, log=lambda line: None)[1]

    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    assert stored_rows(province, YEAR) == live_statistics(province, YEAR)
    assert stored_rows(province, YEAR)["distinct_trainees"] > 0

    rows = measure_training(seconds, generated, SMALL, repeat=2)
    assert [row.measurement for row in rows] == list(LABELS)
    assert all(row.p50 is not None or row.rate for row in rows)
