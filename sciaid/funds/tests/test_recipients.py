"""Recipients an app registers (`sciaid.funds.recipients`) are picked from a list on the allocation form, never
typed; a kind nobody registered keeps its free-text name. The mechanism is tested with villages standing in for an
app's records, then with the commissioners the commissioners app registers (projects test their own kind)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sciaid.accounts.models import User
from sciaid.experts.models import Expert, Pairing
from sciaid.funds import recipients, services
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
KIND = RecipientKind.COMMISSIONER


@pytest.fixture
def villages_receive(monkeypatch):
    """The commissioner kind, for this test, receives the villages of the budget's area."""

    def candidates(budget):
        return Area.objects.filter(level=AreaLevel.VILLAGE, code__range=budget.area.subtree_bounds).order_by("code")

    monkeypatch.setitem(recipients._SOURCES, KIND, recipients.RecipientSource(candidates, lambda area: f"村 {area}"))


def allocate_url(budget, kind=KIND) -> str:
    return f"{reverse('funds:budget-allocate', args=[budget.pk])}?kind={kind}"


BODY = {"amount": "300", "purpose": "工作经费", "allocated_on": "2020-03-01"}


def test_a_registered_kind_is_picked_from_its_candidates(world, make_budget, client_for, villages_receive):
    client, budget = client_for("county_admin"), make_budget("1000")
    page = client.get(allocate_url(budget)).content.decode()
    assert '<select name="recipient"' in page and f"村 {world.village_a1}" in page
    assert 'name="recipient_name"' not in page
    assert str(world.village_b1) not in page  # the other county's are not candidates of this budget
    assert '<nav class="tabs"' in page and 'aria-current="page">S&amp;T commissioner</a>' in page

    typed = client.post(allocate_url(budget), {**BODY, "recipient_name": "张三"})
    assert typed.status_code == 200 and not Allocation.objects.exists()
    outside = client.post(allocate_url(budget), {**BODY, "recipient": world.village_b1.pk})
    assert outside.status_code == 200 and not Allocation.objects.exists()

    assert client.post(allocate_url(budget), {**BODY, "recipient": world.village_a1.pk}).status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.recipient_kind, allocation.recipient, allocation.recipient_name) == (
        KIND,
        world.village_a1,
        str(world.village_a1),
    )
    assert services.statement(world.village_a1).allocated == 300


def test_a_kind_nobody_registered_keeps_a_free_text_name(world, make_budget, client_for):
    client, budget = client_for("county_admin"), make_budget("1000")
    page = client.get(allocate_url(budget, RecipientKind.ORGANISATION)).content.decode()
    assert 'name="recipient_name"' in page and 'name="recipient"' not in page
    response = client.post(allocate_url(budget, RecipientKind.ORGANISATION), {**BODY, "recipient_name": "合作社"})
    assert response.status_code == 302
    assert Allocation.objects.get().recipient_name == "合作社"


def test_the_service_refuses_a_registered_kind_without_or_outside_its_candidates(world, make_budget, villages_receive):
    budget = make_budget("1000")
    fields = {"recipient_kind": KIND, "amount": "10", "purpose": "p", "allocated_on": date(2020, 3, 1)}
    with pytest.raises(ValidationError) as unnamed:
        services.allocate(world.county_admin, budget, recipient_name="张三", **fields)
    assert unnamed.value.message_dict == {"recipient": ["Choose the recipient from the list."]}
    for outsider in (world.village_b1, world.county_a):
        with pytest.raises(ValidationError) as refused:
            services.allocate(world.county_admin, budget, recipient=outsider, **fields)
        assert "cannot receive money from this budget" in refused.value.message_dict["recipient"][0]
    assert not Allocation.objects.exists()


@pytest.fixture
def commissioners(world):
    """A commissioner paired with a village of each county in 2020."""
    experts = {}
    for county in ("a", "b"):
        user = User.objects.create_user(f"expert_{county}", password="pw")
        expert = Expert.objects.create(
            user=user,
            name=f"特派员{county}",
            organisation="安徽农业大学",
            home_area=world.areas[f"county_{county}"],
            is_commissioner=True,
        )
        Pairing.objects.create(expert=expert, village=world.areas[f"village_{county}1"], year=2020)
        experts[county] = expert
    return experts


def test_a_commissioner_allocation_picks_a_commissioner_of_the_budgets_county(
    world, make_budget, client_for, commissioners
):
    """The commissioners app registers its kind: the county's paired commissioners, nobody else, and no free text."""
    experts = commissioners
    budget = make_budget("1000")
    client = client_for("county_admin")
    html = client.get(allocate_url(budget)).content.decode()
    assert '<select name="recipient"' in html and 'name="recipient_name"' not in html
    assert "特派员a · 安徽农业大学" in html and "特派员b" not in html
    refused = client.post(allocate_url(budget), {**BODY, "recipient": experts["b"].pk})
    assert refused.status_code == 200 and not Allocation.objects.exists()
    assert client.post(allocate_url(budget), {**BODY, "recipient": experts["a"].pk}).status_code == 302
    assert services.statement(experts["a"]).allocated == 300


def test_the_api_names_a_commissioner_by_id(world, make_budget, api_for, commissioners):
    client, budget = api_for("county_admin"), make_budget("1000")
    body = {"budget": budget.pk, "recipient_kind": KIND, **BODY}
    typed = client.post(reverse("allocation-list"), {**body, "recipient_name": "张三"}, format="json")
    assert typed.status_code == 400 and "recipient" in typed.json()
    outside = client.post(reverse("allocation-list"), {**body, "object_id": commissioners["b"].pk}, format="json")
    assert outside.status_code == 400 and "object_id" in outside.json()
    posted = client.post(reverse("allocation-list"), {**body, "object_id": commissioners["a"].pk}, format="json")
    assert posted.status_code == 201, posted.json()
    assert (posted.json()["recipient_type"], posted.json()["recipient_name"]) == ("experts.expert", "特派员a")
    words = {**body, "recipient_kind": "organisation", "object_id": commissioners["a"].pk}
    assert "object_id" in client.post(reverse("allocation-list"), words, format="json").json()
