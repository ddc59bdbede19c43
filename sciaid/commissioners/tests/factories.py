"""Budgets and rules for the tests of the commissioners' year (allocation rule, workstations, appraisal)."""

from __future__ import annotations

from decimal import Decimal

from sciaid.funds import services as funds
from sciaid.funds.models import Budget, FundSource


def make_budget(world, year: int, amount: str = "100000", county: str = "county_a") -> Budget:
    """A budget of the county for the year, posted by its county admin."""
    admin = world.users["county_admin" if county == "county_a" else "county_admin_b"]
    return funds.create_budget(
        admin,
        year=year,
        area=world.areas[county],
        source=FundSource.objects.get(code="province-transfer"),
        amount=Decimal(amount),
        purpose="科技特派员帮扶经费",
    )
