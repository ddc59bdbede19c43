"""The ledger's invariants under hypothesis-generated sequences of allocations, expenditures and reversals.

A plain model in Python (Decimal sums) predicts every refusal; after each step the database's figures must equal the
model's, nothing may be over-allocated or over-spent, and every total must reconcile:
budget = allocated + unallocated, allocated = spent + balance — per allocation, per budget and for the area.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from sciaid.funds import services
from sciaid.funds.models import Allocation, Budget
from sciaid.funds.reports import area_summary, ledger_totals
from sciaid.funds.tests.conftest import source

DAY = date(2020, 6, 1)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("700"), places=2)


class Ledger(RuleBasedStateMachine):
    """Two budgets of ¥1,000 in county A; the model keeps what each entry should amount to."""

    world = None

    budgets = Bundle("budgets")
    allocations = Bundle("allocations")
    expenditures = Bundle("expenditures")

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.user = self.world.county_admin
        self.budget_amount: dict[int, Decimal] = {}
        self.allocated: dict[int, Decimal] = {}  # allocation pk → net amount
        self.allocation_budget: dict[int, int] = {}
        self.spent: dict[int, Decimal] = {}  # allocation pk → spent
        self.reversed: set[int] = set()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- model -----------------------------------------------------------------------------------------------

    def unallocated(self, budget_pk: int) -> Decimal:
        used = sum((v for k, v in self.allocated.items() if self.allocation_budget[k] == budget_pk), Decimal(0))
        return self.budget_amount[budget_pk] - used

    def balance(self, allocation_pk: int) -> Decimal:
        return self.allocated[allocation_pk] - self.spent[allocation_pk]

    def track(self, allocation: Allocation) -> Allocation:
        self.allocated[allocation.pk] = allocation.amount
        self.allocation_budget[allocation.pk] = allocation.budget_id
        self.spent[allocation.pk] = Decimal(0)
        return allocation

    # --- rules -----------------------------------------------------------------------------------------------

    @rule(target=budgets, amount=st.sampled_from([Decimal("1000"), Decimal("250.50")]))
    def create_budget(self, amount):
        budget = services.create_budget(
            self.user, year=2020, area=self.world.county_a, source=source(), amount=amount, purpose="p"
        )
        self.budget_amount[budget.pk] = amount
        return budget

    @rule(target=allocations, budget=budgets, amount=amounts)
    def allocate(self, budget, amount):
        expected_ok = amount <= self.unallocated(budget.pk)
        try:
            allocation = services.allocate(
                self.user,
                budget,
                recipient_kind="organisation",
                recipient_name="r",
                amount=amount,
                purpose="p",
                allocated_on=DAY,
            )
        except ValidationError:
            assert not expected_ok, "a valid allocation was refused"
            # A refused allocation still yields a bundle value: one already posted, if any.
            return Allocation.objects.filter(budget=budget, reverses=None).first()
        assert expected_ok, "an over-allocation was accepted"
        return self.track(allocation)

    @rule(target=expenditures, allocation=allocations, amount=amounts)
    def spend(self, allocation, amount):
        if allocation is None:
            return None
        expected_ok = amount <= self.balance(allocation.pk)
        try:
            expenditure = services.spend(
                self.user, allocation, category="training", amount=amount, spent_on=DAY, payee="x"
            )
        except ValidationError:
            assert not expected_ok, "a valid expenditure was refused"
            return None
        assert expected_ok, "an over-spending was accepted"
        self.spent[allocation.pk] += amount
        return expenditure

    @rule(target=expenditures, budget=budgets, amount=amounts)
    def spend_on_platform(self, budget, amount):
        platform = Allocation.objects.filter(budget=budget, recipient_kind="platform", reverses=None).first()
        available = self.unallocated(budget.pk) if platform is None else self.balance(platform.pk)
        expected_ok = amount <= available
        try:
            expenditure = services.spend(self.user, budget, category="staff", amount=amount, spent_on=DAY, payee="x")
        except ValidationError:
            assert not expected_ok, "a valid platform expenditure was refused"
            # Nothing was posted, not even the platform allocation: the whole spending is one transaction.
            return None
        assert expected_ok, "an over-spending of the platform budget was accepted"
        if platform is None:
            self.track(expenditure.allocation)
        self.spent[expenditure.allocation_id] += amount
        return expenditure

    @rule(expenditure=consumes(expenditures))
    def reverse_expenditure(self, expenditure):
        if expenditure is None:
            return
        expected_ok = expenditure.pk not in self.reversed
        try:
            services.reverse_expenditure(self.user, expenditure, reason="作废")
        except ValidationError:
            assert not expected_ok
            return
        assert expected_ok
        self.reversed.add(expenditure.pk)
        self.spent[expenditure.allocation_id] -= expenditure.amount

    @rule(allocation=allocations, amount=st.one_of(st.none(), amounts))
    def reverse_allocation(self, allocation, amount):
        if allocation is None:
            return
        left = self.balance(allocation.pk)
        taken = left if amount is None else amount
        expected_ok = Decimal(0) < taken <= left
        try:
            services.reverse_allocation(self.user, allocation, reason="调减", amount=amount)
        except ValidationError:
            assert not expected_ok
            return
        assert expected_ok
        self.allocated[allocation.pk] -= taken

    # --- invariants ------------------------------------------------------------------------------------------

    @invariant()
    def allocations_match_and_are_never_overspent(self):
        for allocation in Allocation.objects.with_totals().filter(reverses=None):
            assert allocation.net == self.allocated[allocation.pk]
            assert allocation.spent == self.spent[allocation.pk]
            assert allocation.balance >= 0
            assert allocation.net == allocation.spent + allocation.balance

    @invariant()
    def budgets_reconcile(self):
        for budget in Budget.objects.with_totals():
            assert budget.unallocated == self.unallocated(budget.pk) >= 0
            assert budget.amount == budget.allocated + budget.unallocated
            assert budget.allocated == budget.spent + budget.balance
            assert budget.balance >= 0

    @invariant()
    def area_totals_reconcile(self):
        budgets = Budget.objects.all()
        totals = ledger_totals(budgets)
        assert totals.amount == sum(self.budget_amount.values(), Decimal(0))
        assert totals.amount == totals.allocated + totals.unallocated
        assert totals.spent == sum(self.spent.values(), Decimal(0))
        for row in area_summary(budgets):
            assert row.totals.amount == row.totals.allocated + row.totals.unallocated
            assert row.totals.allocated == row.totals.spent + row.totals.balance


@pytest.mark.django_db(transaction=False)
def test_ledger_invariants_hold_under_any_sequence(world):
    Ledger.world = world
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
