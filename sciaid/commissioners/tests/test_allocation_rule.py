"""The yearly fund allocation rule: ¥3,400 for one village and an increment per further village, previewed for
every paired commissioner and posted to the funds ledger in one idempotent, all-or-nothing step."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciaid.commissioners.allocation import services as allocation
from sciaid.commissioners.models import AllocationRule
from sciaid.commissioners.tests.conftest import YEAR
from sciaid.commissioners.tests.factories import make_budget
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation, Budget
from sciaid.funds.services import statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(world):
    return allocation.save_allocation_rule(
        world.county_admin,
        county=world.county_a,
        year=YEAR,
        base_amount=Decimal("3400.00"),
        increment=Decimal("600.00"),
    )


@pytest.fixture
def three_commissioners(make_commissioner):
    """One commissioner for each edge of the rule: paired with 1, 2 and 3 villages of county A."""
    return {
        1: make_commissioner("one", villages=["village_a1"]),
        2: make_commissioner("two", villages=["village_a1", "village_a2"]),
        3: make_commissioner("three", villages=["village_a1", "village_a2", "village_a3"]),
    }


@pytest.mark.parametrize(("villages", "amount"), [(0, "0.00"), (1, "3400.00"), (2, "4000.00"), (3, "4600.00")], ids=str)
def test_amount_is_the_base_plus_the_increment_per_further_village(villages, amount):
    rule = AllocationRule(base_amount=Decimal("3400.00"), increment=Decimal("600.00"))
    assert rule.amount_for(villages) == Decimal(amount)


def test_preview_lists_every_paired_commissioner_with_villages_and_amount(rule, three_commissioners):
    rows = {row.expert.name: (row.villages, row.amount, row.posted) for row in allocation.allocation_preview(rule)}
    assert rows == {
        "one": (1, Decimal("3400.00"), False),
        "two": (2, Decimal("4000.00"), False),
        "three": (3, Decimal("4600.00"), False),
    }


def test_preview_ignores_other_years_and_other_counties(world, rule, make_commissioner):
    make_commissioner("elsewhere", villages=["village_b1"], home="county_b")
    assert allocation.allocation_preview(rule) == []


def test_posting_creates_one_ledger_allocation_per_commissioner(world, rule, three_commissioners):
    budget = make_budget(world, YEAR)
    result = allocation.post_allocation_rule(world.county_admin, rule, budget=budget)
    assert (result.posted, result.already, result.amount) == (3, 0, Decimal("12000.00"))
    for villages, expert in three_commissioners.items():
        account = statement(expert)
        assert account.allocated == rule.amount_for(villages)
        paid = account.allocations.get()
        assert paid.recipient_kind == RecipientKind.COMMISSIONER
        assert paid.key == f"commissioner-rule:{world.county_a.code}:{YEAR}:{expert.pk}"
    rule.refresh_from_db()
    assert rule.posted_at is not None and rule.budget == budget


def test_posting_twice_does_not_pay_twice(world, rule, three_commissioners, make_commissioner):
    budget = make_budget(world, YEAR)
    allocation.post_allocation_rule(world.county_admin, rule, budget=budget)
    again = allocation.post_allocation_rule(world.county_admin, rule, budget=budget)
    assert (again.posted, again.already, again.amount) == (0, 3, Decimal("0.00"))
    assert Allocation.objects.filter(budget=budget).count() == 3
    assert Budget.objects.with_totals().get(pk=budget.pk).allocated == Decimal("12000.00")

    late = make_commissioner("late", villages=["village_a3"])
    third = allocation.post_allocation_rule(world.county_admin, rule, budget=budget)
    assert (third.posted, third.already) == (1, 3)
    assert statement(late).allocated == Decimal("3400.00")


def test_a_budget_short_of_money_posts_nothing(world, rule, three_commissioners, english):
    budget = make_budget(world, YEAR, amount="11999.99")
    with pytest.raises(ValidationError) as refused:
        allocation.post_allocation_rule(world.county_admin, rule, budget=budget)
    assert "nothing was posted" in str(refused.value)
    assert not Allocation.objects.exists()
    rule.refresh_from_db()
    assert rule.posted_at is None


def test_a_budget_of_another_year_is_refused(world, rule, three_commissioners):
    with pytest.raises(ValidationError):
        allocation.post_allocation_rule(world.county_admin, rule, budget=make_budget(world, YEAR - 1))
    assert not Allocation.objects.exists()


def test_another_countys_budget_is_refused(world, rule, three_commissioners):
    other = make_budget(world, YEAR, county="county_b")
    with pytest.raises(ValidationError):
        allocation.post_allocation_rule(world.county_admin, rule, budget=other)


def test_nothing_to_post_without_pairings(world, rule):
    with pytest.raises(ValidationError):
        allocation.post_allocation_rule(world.county_admin, rule, budget=make_budget(world, YEAR))


def test_another_county_may_not_post_the_rule(world, rule, three_commissioners):
    with pytest.raises(PermissionDenied):
        allocation.post_allocation_rule(world.county_admin_b, rule, budget=make_budget(world, YEAR, county="county_b"))


def test_a_posted_rule_no_longer_changes(world, rule, three_commissioners):
    allocation.post_allocation_rule(world.county_admin, rule, budget=make_budget(world, YEAR))
    with pytest.raises(ValidationError):
        allocation.save_allocation_rule(
            world.county_admin, county=world.county_a, year=YEAR, base_amount=Decimal("1"), increment=Decimal("0")
        )


def test_rules_are_set_for_counties_only(world):
    with pytest.raises(ValidationError):
        allocation.save_allocation_rule(
            world.county_admin, county=world.village_a1, year=YEAR, base_amount=Decimal("1"), increment=Decimal("0")
        )


def test_rule_page_previews_and_posts(world, client_for, rule, three_commissioners):
    budget = make_budget(world, YEAR)
    client = client_for("county_admin")
    page = client.get(reverse("commissioners:allocation-rule", args=[rule.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "4600.00" in text and "12000.00" in text and "three" in text

    posted = client.post(reverse("commissioners:allocation-post", args=[rule.pk]), {"budget": budget.pk})
    assert posted.status_code == 302
    assert Allocation.objects.filter(budget=budget).count() == 3
    client.post(reverse("commissioners:allocation-post", args=[rule.pk]), {"budget": budget.pk})
    assert Allocation.objects.filter(budget=budget).count() == 3


def test_rule_page_shows_the_refusal(world, client_for, rule, three_commissioners):
    budget = make_budget(world, YEAR, amount="100")
    response = client_for("county_admin").post(
        reverse("commissioners:allocation-post", args=[rule.pk]), {"budget": budget.pk}, follow=True
    )
    assert not Allocation.objects.exists()
    assert "¥100.00" in response.content.decode()


def test_rule_form_creates_a_rule(world, client_for):
    response = client_for("county_admin").post(
        reverse("commissioners:allocation-create"),
        {"county": world.county_a.code, "year": YEAR, "base_amount": "3400", "increment": "500"},
    )
    assert response.status_code == 302
    assert AllocationRule.objects.get(county=world.county_a, year=YEAR).increment == Decimal("500.00")


def test_rule_pages_are_for_managers(client_for, rule):
    assert client_for("farmer").get(reverse("commissioners:allocation-list")).status_code == 403


def test_preview_takes_a_constant_number_of_queries(world, rule, three_commissioners, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert len(allocation.allocation_preview(rule)) == 3
