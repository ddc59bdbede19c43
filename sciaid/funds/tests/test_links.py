"""What each role is shown on the funds pages leads somewhere it may go: a supervisor reads the books without being
offered the bookkeeper's buttons, and the tab bar is `<nav class="tabs">`."""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile

from sciaid.funds import services
from sciaid.funds.tests.conftest import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LINK = re.compile(r'<a\s[^>]*href="(/[^"#]*)"')
MAIN = re.compile(r"<main>(.*)</main>", re.S)
BOOKKEEPING = ("/allocate/", "/spend/", "/reverse/", "/voucher/", "/new/", "/import/", "/edit/")


def main_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return MAIN.search(response.content.decode()).group(1)


@pytest.fixture
def ledger_pages(world, make_budget):
    budget = make_budget("5000")
    allocation = services.allocate(
        world.county_admin,
        budget,
        recipient_kind="organisation",
        recipient=world.village_a1,
        recipient_name="合作社",
        amount="3000",
        purpose="示范",
        allocated_on=date(2020, 3, 1),
    )
    expenditure = services.spend(
        world.county_admin, allocation, category="training", amount="1000", spent_on=date(2020, 4, 1), payee="学校"
    )
    services.spend(
        world.county_admin,
        allocation,
        category="travel",
        amount="10",
        spent_on=date(2020, 4, 2),
        payee="差旅",
        voucher=ContentFile(PDF, name="v.pdf"),
    )
    return [
        "/en/funds/",
        f"/en/funds/budgets/{budget.pk}/",
        f"/en/funds/allocations/{allocation.pk}/",
        f"/en/funds/statements/{allocation.content_type_id}/{allocation.object_id}/",
        "/en/funds/expenditures/",
        f"/en/funds/expenditures/{expenditure.pk}/",
        "/en/funds/sources/",
    ]


@pytest.mark.parametrize("persona", ["county_admin", "supervisor", "admin"])
def test_no_link_on_the_funds_pages_leads_to_a_refusal(world, client_for, ledger_pages, persona):
    client = client_for(persona)
    broken = {}
    for url in ledger_pages:
        links = {link.replace("&amp;", "&") for link in LINK.findall(main_of(client, url))}
        found = [(link, status) for link in links if (status := client.get(link).status_code) not in (200, 302)]
        if found:
            broken[url] = found
    assert not broken


def test_a_supervisor_reads_the_books_without_the_bookkeepers_buttons(world, client_for, ledger_pages):
    supervisor, admin = client_for("supervisor"), client_for("county_admin")
    for url in ledger_pages:
        shown = main_of(supervisor, url)
        assert not [link for link in LINK.findall(shown) if link.endswith(BOOKKEEPING)], url
    budget_page = main_of(admin, ledger_pages[1])
    assert "/allocate/" in budget_page and "/spend/" in budget_page
    tabs = re.search(r'<nav class="tabs".*?</nav>', main_of(supervisor, "/en/funds/"), re.S).group(0)
    assert 'aria-current="page">Funds ledger</a>' in tabs and "/en/funds/expenditures/" in tabs and "·" not in tabs
