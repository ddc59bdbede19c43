"""The demo's market: 寿县's 2020 purchases add up to exactly the seeds' ¥586,700, placed through the services by
several buyers with several suppliers, and the demo buyer and applicant each see their part."""

from decimal import Decimal

import pytest

from sciaid.accounts.models import User
from sciaid.market.choices import OrderStatus
from sciaid.market.models import Order
from sciaid.market.services import market_figures
from sciaid.regions.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(small_demo):
    return small_demo


def test_shouxian_2020_purchases_are_the_seeds_figure(demo):
    figures = market_figures(Area.objects.get(code="340422000000"), 2020)
    assert figures["total"] == Decimal("586700.00")
    assert len(figures["by_buyer"]) == 4 and len(figures["by_supplier"]) == 5
    assert figures["household_income"]["total"] > 0
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.SETTLED}


def test_the_demo_buyer_and_applicant_see_their_part(demo):
    buyer, applicant = User.objects.get(username="buyer"), User.objects.get(username="applicant")
    mine = Order.objects.for_user(buyer)
    assert mine.exists() and set(mine.values_list("buyer__name", flat=True)) == {"淮南市科学技术局机关食堂"}
    sold = Order.objects.for_user(applicant)
    assert sold.exists() and set(sold.values_list("supplier__name", flat=True)) == {"寿县联众畜牧养殖有限公司"}
