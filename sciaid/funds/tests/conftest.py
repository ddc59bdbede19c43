"""The funds of the test world, posted through the services as a county admin would; the seeds' worked example."""

from datetime import date
from decimal import Decimal

import pytest

from sciaid.funds import services
from sciaid.funds.models import FundSource

#: The seeds' platform budget: ¥300,000 and the five expenditures of 寿县's 2020 self-inspection report.
WORKED_BUDGET = Decimal("300000")
WORKED_EXPENDITURES = [
    ("subsidy", Decimal("210000"), "平台运行补助", "operation subsidy"),
    ("staff", Decimal("37500"), "临时聘用人员", "temporary staff"),
    ("equipment", Decimal("7650"), "投影仪供应商", "projector"),
    ("training", Decimal("31960"), "培训承办单位", "training"),
    ("travel", Decimal("496"), "差旅", "travel"),
]
WORKED_SPENT = Decimal("287606")
WORKED_BALANCE = Decimal("12394")

PDF = b"%PDF-1.4\n% voucher\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def source(code: str = "county") -> FundSource:
    return FundSource.objects.get(code=code)


@pytest.fixture
def make_budget(world):
    """make_budget(amount, county="a", by="county_admin", year=2020, source="county") → Budget."""

    def make(amount="100000", *, county="a", by=None, year=2020, code="county", purpose="科技扶贫"):
        by = by or ("county_admin" if county == "a" else "county_admin_b")
        return services.create_budget(
            world.users[by],
            year=year,
            area=world.areas[f"county_{county}"],
            source=source(code),
            amount=amount,
            purpose=purpose,
        )

    return make


@pytest.fixture
def worked_example(world, make_budget):
    """The platform budget with the five expenditures spent directly against it."""
    budget = make_budget(str(WORKED_BUDGET), code="county", purpose="科技扶贫在线平台运行")
    for category, amount, payee, description in WORKED_EXPENDITURES:
        services.spend(
            world.county_admin,
            budget,
            category=category,
            amount=amount,
            spent_on=date(2020, 9, 30),
            payee=payee,
            description=description,
        )
    return budget
