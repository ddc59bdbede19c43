"""The demo ledger: the seeds' worked example for 寿县, a corrected ledger for 凤台县, everything reconciling."""

from decimal import Decimal

from sciaid.funds.demo import PLATFORM_PURPOSE
from sciaid.funds.models import Budget, Expenditure
from sciaid.funds.reports import ledger_totals


def test_demo_ledger_has_the_worked_example_and_reconciles(small_demo):
    platform = Budget.objects.with_totals().get(area__code="340422000000", year=2020, purpose=PLATFORM_PURPOSE)
    assert (platform.amount, platform.spent, platform.balance) == (
        Decimal("300000"),
        Decimal("287606"),
        Decimal("12394"),
    )
    assert Expenditure.objects.filter(allocation__budget=platform).exclude(voucher="").count() == 1
    fengtai = Budget.objects.with_totals().filter(area__code="340421000000")
    assert fengtai.count() >= 2
    assert Expenditure.objects.filter(allocation__budget__in=fengtai, reverses__isnull=False).count() == 1
    for budget in Budget.objects.with_totals():
        assert budget.amount == budget.allocated + budget.unallocated and budget.unallocated >= 0
        assert budget.allocated == budget.spent + budget.balance and budget.balance >= 0
    totals = ledger_totals(Budget.objects.all())
    assert totals.amount == totals.allocated + totals.unallocated
