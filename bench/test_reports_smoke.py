"""The reports benchmark at a tiny size: over a generated province with its ledger and market, the nightly refresh,
both dashboards and both self-inspection reports run, each beside the replay of its own SELECTs."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.funds import FundsPlan, ensure_funds
from bench.generate import Plan, ensure_dataset
from bench.market import MarketPlan, ensure_market
from bench.reports import captured_selects, measure_reports, replayed
from sciaid.regions.models import Area

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generators load data with COPY"),
]

TINY = Plan(cities=1, counties_per_city=2, townships_per_county=2, villages_per_township=3, households_per_village=4)
LABELS = [
    "indicator refresh (nightly job)",
    "dashboard (county)",
    "self-inspection report (county: figures, checks, DOCX, PDF)",
    "dashboard (province, first reader after a refresh)",
    "dashboard (province)",
    "self-inspection report (province: figures, checks, DOCX, PDF)",
]


@pytest.mark.django_db
def test_the_replayed_floor_runs_the_same_selects():
    statements = captured_selects(lambda: list(Area.objects.filter(code__startswith="34%").iterator()))
    assert len(statements) == 1 and statements[0].startswith("SELECT")
    replayed(statements)()


@pytest.mark.django_db
def test_it_measures_the_refresh_the_dashboards_and_the_reports():
    dataset = ensure_dataset(TINY, log=lambda line: None)
    ensure_funds(FundsPlan.for_scale(0.001), dataset.plan.key, log=lambda line: None)
    ensure_market(MarketPlan.for_scale(0.001), dataset.plan.key, log=lambda line: None)
    rows = measure_reports(repeat=2)
    assert [row.measurement for row in rows] == LABELS
    assert all(row.p50 and row.baseline for row in rows)
    assert "rows" in rows[0].size
