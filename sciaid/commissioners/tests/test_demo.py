"""The demo commissioners' year reproduces the Shouxian report's table."""

from datetime import date
from decimal import Decimal

from sciaid.commissioners.demo import REPORT
from sciaid.commissioners.models import Agreement, Batch, ServiceLog
from sciaid.commissioners.statistics import services as statistics
from sciaid.regions.models import Area


def test_the_demo_county_prints_the_reports_figures(small_demo):
    counts = small_demo
    assert 300 <= counts["service_logs"] <= 700
    stats = statistics.commissioner_statistics(Area.objects.get(code="340422000000"), 2020)
    totals = stats["totals"]
    assert (totals["commissioners"], totals["covered"], totals["poor_villages"]) == (59, 72, 72)
    assert totals["coverage_rate"] == Decimal("100.0")
    assert {key: totals[key] for key in REPORT} == REPORT
    assert Batch.objects.filter(year=2020).count() == 2 and Batch.objects.filter(status="open").count() == 1
    assert Agreement.objects.filter(year=2020).count() >= 72
    assert ServiceLog.objects.filter(status="submitted").exists()
    idle = statistics.idle_commissioners(Area.objects.get(code="340422000000"), 2020, date(2020, 12, 31))
    assert len(idle) >= 5
