"""A county allocating money to a commissioner or a workstation picks one from its own list: the commissioners
paired that year in the budget's area, the filed workstations there (issue 9: the recipient was free text)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sciaid.commissioners.models import Workstation
from sciaid.commissioners.tests.conftest import YEAR
from sciaid.commissioners.tests.factories import make_budget
from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.funds import services as funds
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation

pytestmark = pytest.mark.django_db


def allocate_url(budget, kind: str) -> str:
    return f"{reverse('funds:budget-allocate', args=[budget.pk])}?kind={kind}"


def test_a_commissioner_is_picked_among_those_paired_in_the_budgets_area_and_year(world, client_for, make_commissioner):
    li = make_commissioner("li")
    elsewhere = make_commissioner("zhao", villages=["village_b1"], home="county_b")
    budget = make_budget(world, YEAR)
    page = client_for("county_admin").get(allocate_url(budget, RecipientKind.COMMISSIONER)).content.decode()
    assert f"li · {li.organisation}" in page and "zhao" not in page
    with pytest.raises(ValidationError) as refused:
        funds.allocate(
            world.users["county_admin"],
            budget,
            recipient_kind=RecipientKind.COMMISSIONER,
            amount=Decimal("100"),
            purpose="工作经费",
            allocated_on=date(YEAR, 6, 1),
            recipient=elsewhere,
        )
    assert list(refused.value.message_dict) == ["recipient"]
    later = make_budget(world, YEAR + 1)
    later_page = client_for("county_admin").get(allocate_url(later, RecipientKind.COMMISSIONER)).content.decode()
    assert f"li · {li.organisation}" not in later_page
    assert not Allocation.objects.exists()


def test_a_workstation_is_picked_among_the_filed_ones_of_the_area(world, client_for):
    def station(name: str, village: str, status: str) -> Workstation:
        return Workstation.objects.create(
            name=name,
            organisation=f"{name}合作社",
            industry="河蟹养殖",
            village=world.areas[village],
            plan="绿色养殖",
            applicant=world.users["applicant"],
            status=status,
        )

    station("河蟹站", "village_a1", WorkstationStatus.FILED)
    station("申请中站", "village_a1", WorkstationStatus.APPLIED)
    station("外县站", "village_b1", WorkstationStatus.FILED)
    page = client_for("county_admin").get(allocate_url(make_budget(world, YEAR), RecipientKind.WORKSTATION))
    body = page.content.decode()
    assert "河蟹站 · 河蟹站合作社" in body and "申请中站" not in body and "外县站" not in body
