"""The budgets, allocations and expenditures endpoints: the worked example, balances in every representation,
postings through the services, reversals, refusals as 400s, no way to edit or delete, flat query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sciaid.funds import services
from sciaid.funds.models import Allocation, Expenditure
from sciaid.funds.tests.conftest import PDF, WORKED_EXPENDITURES

pytestmark = pytest.mark.django_db


def budget_body(world, **overrides):
    body = {"year": 2020, "area": world.county_a.code, "source": "county", "amount": "300000", "purpose": "平台运行"}
    return {**body, **overrides}


def test_worked_example_through_the_api(world, api_for):
    client = api_for("county_admin")
    response = client.post(reverse("budget-list"), budget_body(world), format="json")
    assert response.status_code == 201, response.json()
    budget = response.json()
    assert (budget["allocated"], budget["unallocated"], budget["balance"]) == ("0.00", "300000.00", "0.00")
    for category, amount, payee, _description in WORKED_EXPENDITURES:
        body = {"budget": budget["id"], "category": category, "amount": str(amount), "spent_on": "2020-09-30"}
        response = client.post(reverse("expenditure-list"), {**body, "payee": payee}, format="json")
        assert response.status_code == 201, response.json()
    assert response.json()["allocation_balance"] == "12394.00"
    budget = client.get(reverse("budget-detail", args=[budget["id"]])).json()
    assert (budget["allocated"], budget["spent"], budget["balance"], budget["unallocated"]) == (
        "300000.00",
        "287606.00",
        "12394.00",
        "0.00",
    )
    allocation = client.get(reverse("allocation-list"), {"budget": budget["id"]}).json()["results"][0]
    assert (allocation["recipient_kind"], allocation["spent"], allocation["balance"]) == (
        "platform",
        "287606.00",
        "12394.00",
    )


def test_allocate_spend_and_reverse(world, api_for, english):
    client = api_for("county_admin")
    budget = client.post(reverse("budget-list"), budget_body(world, amount="1000"), format="json").json()
    body = {
        "budget": budget["id"],
        "recipient_kind": "organisation",
        "recipient_name": "寿县农技站",
        "amount": "600",
        "purpose": "示范",
        "allocated_on": "2020-03-01",
        "key": "k-1",
    }
    allocation = client.post(reverse("allocation-list"), body, format="json").json()
    assert (allocation["net"], allocation["balance"]) == ("600.00", "600.00")
    again = client.post(reverse("allocation-list"), body, format="json")
    assert again.status_code == 201 and again.json()["id"] == allocation["id"]
    over = client.post(reverse("allocation-list"), {**body, "key": "", "amount": "400.01"}, format="json")
    assert over.status_code == 400
    assert "Only ¥400.00 of this budget is still unallocated" in over.json()["amount"][0]

    spend = {"allocation": allocation["id"], "category": "materials", "amount": "100", "spent_on": "2020-04-01"}
    expenditure = client.post(reverse("expenditure-list"), {**spend, "payee": "种子公司"}, format="json").json()
    assert expenditure["allocation_balance"] == "500.00"
    reversal = client.post(reverse("expenditure-reverse", args=[expenditure["id"]]), {"reason": "重复"}, format="json")
    assert reversal.status_code == 201
    assert (reversal.json()["amount"], reversal.json()["reverses"], reversal.json()["allocation_balance"]) == (
        "-100.00",
        expenditure["id"],
        "600.00",
    )
    twice = client.post(reverse("expenditure-reverse", args=[expenditure["id"]]), {"reason": "x"}, format="json")
    assert twice.status_code == 400 and "already been reversed" in str(twice.json())

    taken = client.post(
        reverse("allocation-reverse", args=[allocation["id"]]), {"reason": "调减", "amount": "250"}, format="json"
    )
    assert taken.status_code == 201 and taken.json()["amount"] == "-250.00"
    detail = client.get(reverse("allocation-detail", args=[allocation["id"]])).json()
    assert (detail["reversed_amount"], detail["net"], detail["spent"], detail["balance"]) == (
        "-250.00",
        "350.00",
        "0.00",
        "350.00",
    )
    too_much = client.post(
        reverse("allocation-reverse", args=[allocation["id"]]), {"reason": "x", "amount": "351"}, format="json"
    )
    assert too_much.status_code == 400
    assert client.post(reverse("allocation-reverse", args=[allocation["id"]]), {}, format="json").status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"category": "cars"}, "category"),
        ({"payee": ""}, "payee"),
        ({"allocation": None}, "allocation"),
    ],
)
def test_expenditure_refusals_are_400(world, api_for, body, field):
    client = api_for("county_admin")
    budget = client.post(reverse("budget-list"), budget_body(world, amount="1000"), format="json").json()
    allocation = services.allocate(
        world.county_admin,
        services.Budget.objects.get(pk=budget["id"]),
        recipient_kind="organisation",
        recipient_name="x",
        amount="10",
        purpose="p",
        allocated_on=date(2020, 1, 1),
    )
    base = {"allocation": allocation.pk, "category": "travel", "amount": "5", "spent_on": "2020-02-01", "payee": "y"}
    data = {key: value for key, value in {**base, **body}.items() if value is not None}
    response = client.post(reverse("expenditure-list"), data, format="json")
    assert response.status_code == 400 and field in response.json()
    over = client.post(reverse("expenditure-list"), {**base, "amount": "10.01"}, format="json")
    assert over.status_code == 400 and "Only ¥10.00 of this allocation is left" in over.json()["amount"][0]


def test_voucher_upload_is_checked_and_served_only_in_jurisdiction(world, api_for, client_for):
    client = api_for("county_admin")
    budget = client.post(reverse("budget-list"), budget_body(world, amount="10000"), format="json").json()
    base = {"budget": budget["id"], "category": "equipment", "amount": "7650", "spent_on": "2020-05-18", "payee": "x"}
    bad = client.post(
        reverse("expenditure-list"),
        {**base, "voucher": SimpleUploadedFile("v.pdf", b"<html>", "application/pdf")},
        format="multipart",
    )
    assert bad.status_code == 400 and "voucher" in bad.json()
    good = client.post(
        reverse("expenditure-list"),
        {**base, "voucher": SimpleUploadedFile("v.pdf", PDF, "application/pdf")},
        format="multipart",
    )
    assert good.status_code == 201, good.json()
    url = good.json()["voucher_url"]
    assert client_for("county_admin").get(url).status_code == 200
    assert client_for("county_admin_b").get(url).status_code == 404


def test_roles_read_and_post(world, api_for):
    budget = api_for("county_admin").post(reverse("budget-list"), budget_body(world), format="json").json()
    assert api_for("supervisor").get(reverse("budget-detail", args=[budget["id"]])).status_code == 200
    for persona in ("supervisor", "triage", "farmer"):
        assert api_for(persona).post(reverse("budget-list"), budget_body(world), format="json").status_code == 403
    assert api_for("county_admin_b").post(reverse("budget-list"), budget_body(world), format="json").status_code in (
        400,
        403,
    )
    assert api_for("farmer").get(reverse("budget-list")).json()["results"] == []


def test_posted_entries_cannot_be_edited_or_deleted(world, api_for):
    client = api_for("county_admin")
    budget = client.post(reverse("budget-list"), budget_body(world), format="json").json()
    client.post(
        reverse("expenditure-list"),
        {"budget": budget["id"], "category": "travel", "amount": "5", "spent_on": "2020-02-01", "payee": "y"},
        format="json",
    )
    targets = [
        reverse("budget-detail", args=[budget["id"]]),
        reverse("allocation-detail", args=[Allocation.objects.get().pk]),
        reverse("expenditure-detail", args=[Expenditure.objects.get().pk]),
    ]
    for url in targets:
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(url, {"amount": "1"}, format="json").status_code == 405
    assert Expenditure.objects.get().amount == 5


def test_lists_have_flat_query_counts(world, api_for, django_assert_max_num_queries):
    client = api_for("county_admin")
    budget = client.post(reverse("budget-list"), budget_body(world), format="json").json()
    for day in range(1, 21):
        client.post(
            reverse("expenditure-list"),
            {
                "budget": budget["id"],
                "category": "travel",
                "amount": "5",
                "spent_on": f"2020-02-{day:02d}",
                "payee": "y",
            },
            format="json",
        )
    for name in ("budget-list", "allocation-list", "expenditure-list"):
        with django_assert_max_num_queries(8):
            assert client.get(reverse(name)).status_code == 200
