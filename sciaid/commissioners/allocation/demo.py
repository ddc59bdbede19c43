"""The demo's commissioner fund rule for 寿县 2020, after the seeds: ¥3,400 for one village, ¥700 more for each
further one, paid from the province's ¥210,000 and posted to the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sciaid.accounts.models import User
from sciaid.commissioners.allocation import services
from sciaid.experts.demo import YEAR
from sciaid.funds.models import FundSource
from sciaid.funds.services import create_budget
from sciaid.regions.models import Area

#: The seeds: ¥3,400 for one village, "appropriately" more for two or more; 59 commissioners, 72 villages.
BASE_AMOUNT = Decimal("3400.00")


INCREMENT = Decimal("700.00")


COMMISSIONER_FUNDS = Decimal("210000.00")


def post_allocation_rule(admin: User, county_admin: User, county: Area, source: FundSource) -> int:
    """The province's budget for the county, the county's rule, posted mid-year; returns the allocations made."""
    budget = create_budget(
        admin, year=YEAR, area=county, source=source, amount=COMMISSIONER_FUNDS, purpose="科技特派员帮扶贫困村工作经费"
    )
    rule = services.save_allocation_rule(
        county_admin, county=county, year=YEAR, base_amount=BASE_AMOUNT, increment=INCREMENT
    )
    return services.post_allocation_rule(county_admin, rule, budget=budget, allocated_on=date(YEAR, 6, 30)).posted
