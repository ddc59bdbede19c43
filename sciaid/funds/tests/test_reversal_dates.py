"""Reversals a clerk records later carry the day they happened (`reversed_on`), bounded by today, the start of the
budget's year and the entry reversed; and the fund-source catalogue a budget names its source from is listed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sciaid.core.models import ObjectChange
from sciaid.funds import services
from sciaid.funds.models import Allocation, Expenditure

pytestmark = pytest.mark.django_db


@pytest.fixture
def spent(world, make_budget) -> Expenditure:
    """¥1,000 of 2020 allocated on 1 March and ¥400 of it spent on 1 April."""
    budget = make_budget("1000")
    allocation = services.allocate(
        world.county_admin,
        budget,
        recipient_kind="organisation",
        recipient_name="合作社",
        amount="1000",
        purpose="示范",
        allocated_on=date(2020, 3, 1),
    )
    return services.spend(
        world.county_admin, allocation, category="materials", amount="400", spent_on=date(2020, 4, 1), payee="农资店"
    )


def reverse_url(kind: str, pk: int) -> str:
    return reverse(f"{kind}-reverse", args=[pk])


def test_a_reversal_recorded_later_keeps_its_day_and_is_audited_with_both(world, api_for, spent):
    response = api_for("county_admin").post(
        reverse_url("expenditure", spent.pk), {"reason": "重复录入", "reversed_on": "2020-04-03"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["spent_on"] == "2020-04-03" and response.json()["amount"] == "-400.00"
    reversal = Expenditure.objects.get(reverses=spent)
    entry = ObjectChange.objects.get(content_type__model="expenditure", object_id=str(reversal.pk), action="create")
    assert entry.after["spent_on"] == "2020-04-03" and timezone.localdate(entry.time) == timezone.localdate()

    back = api_for("county_admin").post(
        reverse_url("allocation", spent.allocation_id),
        {"reason": "项目取消", "amount": "100", "reversed_on": "2020-12-31"},
        format="json",
    )
    assert back.status_code == 201 and back.json()["allocated_on"] == "2020-12-31"


def test_without_a_day_a_reversal_is_dated_today(world, api_for, spent):
    response = api_for("county_admin").post(reverse_url("expenditure", spent.pk), {"reason": "错误"}, format="json")
    assert response.status_code == 201 and response.json()["spent_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ((timezone.localdate() + timedelta(days=1)).isoformat(), "future"),
        ("2019-12-31", "budget's year starts (2020-01-01)"),
        ("2020-03-31", "entry it reverses (2020-04-01)"),
        ("31/03/2020", "Date has wrong format"),
    ],
)
def test_a_reversal_day_out_of_bounds_is_refused(world, api_for, spent, day, message):
    response = api_for("county_admin").post(
        reverse_url("expenditure", spent.pk), {"reason": "错误", "reversed_on": day}, format="json"
    )
    assert response.status_code == 400 and message in response.json()["reversed_on"][0]
    assert not Expenditure.objects.filter(reverses=spent).exists()


def test_an_allocation_reversal_before_the_allocation_is_refused(world, api_for, spent):
    response = api_for("county_admin").post(
        reverse_url("allocation", spent.allocation_id), {"reason": "取消", "reversed_on": "2020-02-29"}, format="json"
    )
    assert response.status_code == 400 and "2020-03-01" in response.json()["reversed_on"][0]
    assert not Allocation.objects.filter(reverses__isnull=False).exists()


def test_reversal_days_need_the_books_of_the_area(world, api_for, spent):
    body = {"reason": "错误", "reversed_on": "2020-04-03"}
    assert api_for("county_admin_b").post(reverse_url("expenditure", spent.pk), body, format="json").status_code == 404
    assert api_for("supervisor").post(reverse_url("expenditure", spent.pk), body, format="json").status_code == 403
    assert api_for("expert").post(reverse_url("expenditure", spent.pk), body, format="json").status_code == 404


def test_the_reversal_page_takes_the_day(world, client_for, spent):
    url = reverse("funds:expenditure-reverse", args=[spent.pk])
    assert 'name="reversed_on"' in client_for("county_admin").get(url).content.decode()
    response = client_for("county_admin").post(url, {"reason": "重复", "reversed_on": "2020-04-02"})
    assert response.status_code == 302
    assert Expenditure.objects.get(reverses=spent).spent_on == date(2020, 4, 2)


def test_fund_sources_are_listed_read_only(world, api_for):
    listed = api_for("county_admin").get(reverse("fund-source-list"))
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["code"] for row in rows] == ["province-transfer", "city", "county", "special", "other"]
    assert rows[0]["name"] == "Province transfer payment" and rows[0]["name_zh"] == "省级转移支付"
    assert api_for("supervisor").get(reverse("fund-source-detail", args=[rows[0]["id"]])).status_code == 200
    assert api_for("county_admin_b").get(reverse("fund-source-list")).json()["count"] == 5
    assert api_for("admin").post(reverse("fund-source-list"), {"code": "x"}, format="json").status_code == 405
    assert (
        api_for("county_admin").put(reverse("fund-source-detail", args=[rows[0]["id"]]), {}, format="json").status_code
        == 405
    )
    assert api_for("farmer").get(reverse("fund-source-list")).json()["count"] == 0
