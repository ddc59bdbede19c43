"""The demo's commissioner year for 寿县 2020: the seeds' 33 excellent and 26 qualified commissioners, the allocation
rule posted once, and workstations in every state with the river-crab station of 姚祠村 filed."""

from decimal import Decimal

from sciaid.commissioners.allocation import services as allocation
from sciaid.commissioners.models import AllocationRule, Workstation
from sciaid.commissioners.statistics import services as statistics
from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.funds.models import Allocation
from sciaid.funds.services import statement
from sciaid.regions.models import Area


def test_demo_commissioner_year_reproduces_the_seeds(small_demo):
    shouxian = Area.objects.get(code="340422000000")
    assert statistics.appraisal_distribution(shouxian, 2020) == {"excellent": 33, "qualified": 26, "unqualified": 0}

    rule = AllocationRule.objects.get(county=shouxian, year=2020)
    rows = allocation.allocation_preview(rule)
    assert len(rows) == 59 and all(row.posted for row in rows)
    # 59 commissioners at ¥3,400 and 13 further villages at ¥700.
    assert sum(row.amount for row in rows) == Decimal("209700.00")
    assert Allocation.objects.filter(key__startswith="commissioner-rule:340422000000:2020:").count() == 59

    states = set(Workstation.objects.values_list("status", flat=True))
    assert {WorkstationStatus.FILED, WorkstationStatus.UNDER_REVIEW, WorkstationStatus.APPLIED} <= states
    assert WorkstationStatus.REJECTED in states
    crabs = Workstation.objects.get(village__code="340422105201")
    assert crabs.status == WorkstationStatus.FILED and "河蟹" in crabs.name
    assert crabs.village.name == "姚祠村" and crabs.village.parent.name == "隐贤镇"
    assert statement(crabs).allocated == Decimal("180000.00")
    assert crabs.activities.count() == 3
