"""The funds pages: the ledger with its totals row and per-area summary, drill-down, statement, the posting forms
(refusals shown as form errors), vouchers, and flat query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sciaid.funds import services
from sciaid.funds.models import Allocation, Budget, Expenditure
from sciaid.funds.tests.conftest import PDF, source

pytestmark = pytest.mark.django_db


def english_page(client, url, params=None):
    """The page in English: its /en/ address (an address without a prefix is always Chinese)."""
    response = client.get(url if url.startswith("/en/") else f"/en{url}", params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_ledger_shows_the_worked_example(worked_example, client_for):
    client = client_for("county_admin")
    page = english_page(client, reverse("funds:ledger"), {"area": "340422000000", "year": 2020})
    for figure in ("¥300,000.00", "¥287,606.00", "¥12,394.00", "¥0.00"):
        assert figure in page
    assert "科技扶贫在线平台运行" in page
    detail = english_page(client, worked_example.get_absolute_url())
    assert "¥287,606.00" in detail and "¥12,394.00" in detail
    allocation = Allocation.objects.get(budget=worked_example)
    drill = english_page(client, allocation.get_absolute_url())
    for figure in ("¥210,000.00", "¥37,500.00", "¥7,650.00", "¥31,960.00", "¥496.00", "¥287,606.00", "¥12,394.00"):
        assert figure in drill


def test_ledger_totals_row_and_area_summary_cover_every_page(world, make_budget, client_for, settings):
    for index in range(3):
        make_budget("1000", purpose=f"a{index}")
    make_budget("500", county="b")
    response = client_for("admin").get(reverse("funds:ledger"), {"year": 2020})
    totals, summary = response.context["totals"], response.context["summary"]
    assert totals.amount == 3500 and totals.unallocated == 3500
    assert {row.name: row.totals.amount for row in summary} == {"寿县": 3000, "凤台县": 500}
    own = client_for("county_admin").get(reverse("funds:ledger"))
    assert own.context["totals"].amount == 3000 and own.context["summary"] == []


def test_the_ledger_opens_on_the_latest_year_with_budgets(world, make_budget, client_for):
    make_budget("1000", year=2019)
    make_budget("2000", year=2020)
    make_budget("4000", county="b", year=2021)  # another county's later year is not this user's latest
    client = client_for("county_admin")
    opened = client.get(reverse("funds:ledger"))
    assert [budget.year for budget in opened.context["object_list"]] == [2020]
    assert opened.context["totals"].amount == 2000
    assert 'value="2020"' in opened.content.decode()
    assert client.get(reverse("funds:ledger"), {"year": ""}).context["totals"].amount == 3000
    assert client.get(reverse("funds:ledger"), {"year": "2019"}).context["totals"].amount == 1000


def test_ledger_query_count_does_not_grow_with_entries(world, make_budget, client_for, django_assert_max_num_queries):
    client = client_for("admin")
    make_budget("1000")
    client.get(reverse("funds:ledger"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("funds:ledger"))
    for index in range(15):
        budget = make_budget("1000", county="ab"[index % 2], purpose=f"p{index}")
        services.spend(world.admin, budget, category="travel", amount="10", spent_on=date(2020, 1, 2), payee="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("funds:ledger"))


def test_budget_form_posts_and_refuses(world, client_for):
    client = client_for("county_admin")
    data = {"year": 2020, "area": world.county_a.code, "source": source().pk, "amount": "5000", "purpose": "示范"}
    response = client.post(reverse("funds:budget-create"), data)
    assert response.status_code == 302
    budget = Budget.objects.get()
    other = client.post(reverse("funds:budget-create"), {**data, "area": world.county_b.code})
    assert other.status_code == 200 and Budget.objects.count() == 1
    assert client_for("supervisor").get(reverse("funds:budget-create")).status_code == 403

    allocate = reverse("funds:budget-allocate", args=[budget.pk]) + "?kind=organisation"
    body = {
        "recipient_name": "合作社",
        "purpose": "示范",
        "allocated_on": "2020-03-01",
    }
    too_much = client.post(f"/en{allocate}", {**body, "amount": "5000.01"})
    assert too_much.status_code == 200
    assert "Only ¥5,000.00 of this budget is still unallocated" in too_much.content.decode()
    assert client.post(allocate, {**body, "amount": "3000"}).status_code == 302
    assert "¥2,000.00" in english_page(client, allocate)  # what is left, shown above the form


def test_the_spend_form_names_the_allocation_with_thousands_separators(world, make_budget, client_for):
    allocation = services.allocate(
        world.county_admin,
        make_budget("50000"),
        recipient_kind="organisation",
        recipient_name="隐贤镇稻虾合作社",
        amount="30000",
        purpose="示范",
        allocated_on=date(2020, 3, 1),
    )
    page = english_page(client_for("county_admin"), reverse("funds:allocation-spend", args=[allocation.pk]))
    assert "隐贤镇稻虾合作社 ¥30,000.00" in page and "¥30000.00" not in page


def test_spend_reverse_and_voucher_forms(world, make_budget, client_for):
    client = client_for("county_admin")
    budget = make_budget("1000")
    spend = reverse("funds:budget-spend", args=[budget.pk])
    body = {"category": "equipment", "amount": "600", "spent_on": "2020-05-18", "payee": "设备公司"}
    bad_voucher = client.post(spend, {**body, "voucher": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert bad_voucher.status_code == 200 and not Expenditure.objects.exists()
    assert client.post(spend, body).status_code == 302
    expenditure = Expenditure.objects.get()
    over = client.post(reverse("funds:allocation-spend", args=[expenditure.allocation_id]), {**body, "amount": "401"})
    assert over.status_code == 200 and Expenditure.objects.count() == 1

    voucher = reverse("funds:expenditure-voucher", args=[expenditure.pk])
    assert client.post(voucher, {"voucher": SimpleUploadedFile("scan.pdf", PDF)}).status_code == 302
    file_url = reverse("funds:voucher-file", args=[expenditure.pk])
    assert b"".join(client.get(file_url).streaming_content) == PDF
    assert client_for("supervisor").get(file_url).status_code == 200
    assert client_for("county_admin_b").get(file_url).status_code == 404

    reverse_url = reverse("funds:expenditure-reverse", args=[expenditure.pk])
    assert client.post(reverse_url, {"reason": ""}).status_code == 200
    assert client.post(reverse_url, {"reason": "发票作废"}).status_code == 302
    again = client.post(f"/en{reverse_url}", {"reason": "again"})
    assert "already been reversed" in again.content.decode()
    allocation_url = reverse("funds:allocation-reverse", args=[expenditure.allocation_id])
    assert client.post(allocation_url, {"reason": "退回", "amount": "100"}).status_code == 302
    totals = services.budget_totals(budget)
    assert (totals.allocated, totals.spent, totals.unallocated) == (900, 0, 100)
    assert client_for("supervisor").post(allocation_url, {"reason": "x"}).status_code == 403


def test_statement_page(world, make_budget, client_for):
    village = world.village_a1
    allocation = services.allocate(
        world.county_admin,
        make_budget("1000"),
        recipient_kind="organisation",
        recipient=village,
        recipient_name="稻虾示范项目",
        amount="800",
        purpose="示范",
        allocated_on=date(2020, 3, 1),
    )
    services.spend(
        world.county_admin, allocation, category="materials", amount="300", spent_on=date(2020, 4, 1), payee="苗种"
    )
    url = reverse("funds:statement", args=[allocation.content_type_id, village.pk])
    page = english_page(client_for("county_admin"), url)
    assert "稻虾示范项目" in page and "¥800.00" in page and "¥300.00" in page and "¥500.00" in page
    assert client_for("county_admin_b").get(url).context["statement"].allocated == 0


def test_menu_entry_for_managers_and_supervisors(world, client_for):
    ledger = reverse("funds:ledger")
    for persona in ("county_admin", "supervisor", "admin"):
        assert ledger in {item["url"] for item in client_for(persona).get(reverse("home")).context["menu"]}
    assert ledger not in {item["url"] for item in client_for("farmer").get(reverse("home")).context["menu"]}
    assert client_for("farmer").get(ledger).status_code == 403
