"""Projects as recipients in the funds ledger (`sciaid.projects.recipients`): an allocation of kind "project" picks
one of the funded projects of the budget's area, and what it gets shows on the project's statement."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sciaid.funds import services as funds
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation, FundSource
from sciaid.projects import services
from sciaid.projects.tests.conftest import declaration, to_approved

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def county_budget(world):
    return funds.create_budget(
        world.county_admin,
        year=2020,
        area=world.county_a,
        source=FundSource.objects.get(code="county"),
        amount=Decimal("50000"),
        purpose="县级科技扶贫配套",
    )


def test_a_project_allocation_picks_a_funded_project(world, client_for, project, reviewers, county_budget, applicant):
    to_approved(world, project, reviewers)
    draft = services.declare(applicant, project.call, **declaration(world, title="Still a draft"))
    url = reverse("funds:budget-allocate", args=[county_budget.pk]) + "?kind=project"
    client = client_for("county_admin")
    html = client.get(url).content.decode()
    assert f'<option value="{project.pk}">{project.title} · {project.organisation}</option>' in html
    assert "Still a draft" not in html
    body = {"recipient": project.pk, "amount": "10000", "purpose": "配套资金", "allocated_on": "2020-08-01"}
    assert client.post(url, body).status_code == 302
    assert funds.statement(project).allocated == Decimal("80000")  # 70,000 at approval and this top-up
    assert client.post(url, {**body, "recipient": draft.pk}).status_code == 200
    assert Allocation.objects.filter(object_id=draft.pk).count() == 0


def test_an_unfunded_project_cannot_receive_money(world, project, county_budget):
    with pytest.raises(ValidationError) as refused:
        funds.allocate(
            world.county_admin,
            county_budget,
            recipient_kind=RecipientKind.PROJECT,
            recipient=project,
            amount="100",
            purpose="x",
            allocated_on=date(2020, 8, 1),
        )
    assert "cannot receive money from this budget" in refused.value.message_dict["recipient"][0]
