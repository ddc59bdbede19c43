"""The ledger's rules through its services: the worked example, every refusal, reversals, append-only entries."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from sciaid.core.models import ChangeAction, ObjectChange
from sciaid.funds import services
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation, Expenditure, FundSource, PostedEntryError
from sciaid.funds.reports import area_summary, ledger_totals
from sciaid.funds.tests.conftest import PDF, PNG, WORKED_BALANCE, WORKED_BUDGET, WORKED_SPENT, source

pytestmark = pytest.mark.django_db
DAY = date(2020, 6, 1)


def give(world, budget, amount, *, by="county_admin", **kwargs):
    fields = {"recipient_kind": RecipientKind.ORGANISATION, "recipient_name": "寿县农技站", "purpose": "示范"}
    return services.allocate(world.users[by], budget, amount=amount, allocated_on=DAY, **{**fields, **kwargs})


def pay(world, target, amount, *, by="county_admin", **kwargs):
    fields = {"category": "materials", "payee": "种子公司"}
    return services.spend(world.users[by], target, amount=amount, spent_on=DAY, **{**fields, **kwargs})


def message(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# --- the seeds' worked example -------------------------------------------------------------------------------


def test_worked_example_spent_and_balance(worked_example):
    totals = services.budget_totals(worked_example)
    assert totals.amount == WORKED_BUDGET
    assert totals.spent == WORKED_SPENT == Decimal("287606.00")
    assert totals.balance == WORKED_BALANCE == Decimal("12394.00")
    # Spending against the platform budget allocated all of it to the platform operation, in one entry.
    assert (totals.allocated, totals.unallocated) == (WORKED_BUDGET, 0)
    platform = Allocation.objects.get(budget=worked_example)
    assert platform.recipient_kind == RecipientKind.PLATFORM
    assert Expenditure.objects.filter(allocation=platform).count() == 5


def test_worked_example_reconciles_in_the_reports(worked_example, make_budget, world):
    make_budget("5000", county="b")
    totals = ledger_totals(worked_example.__class__.objects.filter(area=world.county_a))
    assert (totals.amount, totals.spent, totals.balance, totals.unallocated) == (
        WORKED_BUDGET,
        WORKED_SPENT,
        WORKED_BALANCE,
        0,
    )
    rows = {row.name: row.totals for row in area_summary(worked_example.__class__.objects.all())}
    assert rows["寿县"].spent == WORKED_SPENT and rows["凤台县"].unallocated == Decimal("5000")


def test_the_last_yuan_can_be_spent_and_not_one_cent_more(worked_example, world):
    platform = Allocation.objects.get(budget=worked_example)
    pay(world, worked_example, WORKED_BALANCE)
    with pytest.raises(ValidationError) as refused:
        pay(world, platform, "0.01")
    assert "¥0.00" in message(refused)


# --- allocations ---------------------------------------------------------------------------------------------


def test_allocation_reduces_the_unallocated_balance(world, make_budget):
    budget = make_budget("1000")
    give(world, budget, "600.50")
    totals = services.budget_totals(budget)
    assert (totals.allocated, totals.unallocated) == (Decimal("600.50"), Decimal("399.50"))


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1000.01", "Only ¥1,000.00 of this budget is still unallocated"),
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("1.005", "two decimal places"),
        ("abc", "Give the amount in yuan"),
    ],
)
def test_allocation_amount_refusals(world, make_budget, amount, text, english):
    budget = make_budget("1000")
    with pytest.raises(ValidationError) as refused:
        give(world, budget, amount)
    assert text in message(refused)
    assert not Allocation.objects.exists()


def test_allocation_over_the_remainder_is_refused(world, make_budget, english):
    budget = make_budget("1000")
    give(world, budget, "700")
    with pytest.raises(ValidationError) as refused:
        give(world, budget, "300.01")
    assert "Only ¥300.00 of this budget is still unallocated; ¥300.01 cannot be allocated." in message(refused)


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"recipient_kind": "bank"}, "Choose who receives"),
        ({"recipient_name": " "}, "Name the recipient"),
        ({"purpose": ""}, "Say what the money is for"),
    ],
)
def test_allocation_field_refusals(world, make_budget, fields, text, english):
    with pytest.raises(ValidationError) as refused:
        give(world, make_budget("1000"), "10", **fields)
    assert text in message(refused)


@pytest.mark.parametrize("persona", ["county_admin_b", "supervisor", "triage", "outsider"])
def test_only_the_areas_managers_keep_its_books(world, make_budget, persona):
    budget = make_budget("1000")
    with pytest.raises(PermissionDenied):
        give(world, budget, "10", by=persona)
    with pytest.raises(PermissionDenied):
        services.create_budget(
            world.users[persona], year=2020, area=world.county_a, source=budget.source, amount="1", purpose="x"
        )


def test_platform_admin_keeps_every_countys_books(world, make_budget):
    assert give(world, make_budget("1000", county="b"), "10", by="admin").amount == 10


def test_budget_refusals(world, english):
    with pytest.raises(ValidationError) as refused:
        services.create_budget(world.county_admin, year=2020, area=world.county_a, source=None, amount="0", purpose="x")
    assert "more than zero" in message(refused)
    with pytest.raises(ValidationError) as refused:
        services.create_budget(
            world.county_admin, year=1999, area=world.county_a, source=source(), amount="1", purpose="x"
        )
    assert "year" in refused.value.message_dict


def test_same_key_allocates_once(world, make_budget):
    budget = make_budget("1000")
    first = give(world, budget, "400", key="project-7")
    again = give(world, budget, "400", key="project-7")
    assert again.pk == first.pk
    assert services.budget_totals(budget).allocated == Decimal("400")


def test_allocation_to_an_object_shows_in_its_statement(world, make_budget):
    village = world.village_a1
    give(world, make_budget("1000"), "300", recipient=village, recipient_name="")
    give(world, make_budget("500"), "200", recipient=village, recipient_kind=RecipientKind.PLATFORM)
    statement = services.statement(village)
    assert (statement.allocated, statement.spent, statement.balance) == (500, 0, 500)
    assert statement.allocations.first().recipient_name == str(village)


def test_statement_reconciles_after_spending_and_reversals(world, make_budget):
    village = world.village_a1
    allocation = give(world, make_budget("1000"), "600", recipient=village)
    spent = pay(world, allocation, "250")
    pay(world, allocation, "50")
    services.reverse_expenditure(world.county_admin, spent, reason="重复录入")
    services.reverse_allocation(world.county_admin, allocation, reason="项目调减", amount="100")
    statement = services.statement(village)
    assert (statement.allocated, statement.spent, statement.balance) == (500, 50, 450)
    assert statement.expenditures.count() == 3
    assert services.statement(world.village_a2).allocated == 0


# --- expenditures --------------------------------------------------------------------------------------------


def test_expenditure_over_the_allocation_is_refused(world, make_budget, english):
    allocation = give(world, make_budget("1000"), "500")
    pay(world, allocation, "499.99")
    with pytest.raises(ValidationError) as refused:
        pay(world, allocation, "0.02")
    assert "Only ¥0.01 of this allocation is left; ¥0.02 cannot be spent." in message(refused)
    assert Expenditure.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"amount": "0"}, "more than zero"),
        ({"amount": "-1"}, "more than zero"),
        ({"category": "cars"}, "Choose what the money was spent on"),
        ({"payee": ""}, "Say whom the money was paid to"),
        ({"voucher": ContentFile(b"MZ\x90\x00", name="virus.pdf")}, "PDF, JPEG or PNG"),
    ],
)
def test_expenditure_refusals(world, make_budget, fields, text, english):
    allocation = give(world, make_budget("1000"), "500")
    with pytest.raises(ValidationError) as refused:
        pay(world, allocation, fields.pop("amount", "10"), **fields)
    assert text in message(refused)
    assert not Expenditure.objects.exists()


def test_voucher_too_large_is_refused(world, make_budget, monkeypatch, english):
    monkeypatch.setattr(services, "VOUCHER_MAX_BYTES", 10)
    allocation = give(world, make_budget("1000"), "500")
    with pytest.raises(ValidationError) as refused:
        pay(world, allocation, "10", voucher=ContentFile(PDF, name="big.pdf"))
    assert "at most" in message(refused)


def test_voucher_is_stored_under_a_random_name(world, make_budget):
    allocation = give(world, make_budget("1000"), "500")
    expenditure = pay(world, allocation, "10", voucher=ContentFile(PDF, name="张三身份证.pdf"))
    assert expenditure.voucher.name.endswith(".pdf") and "张三" not in expenditure.voucher.name


def test_voucher_attached_later_once(world, make_budget, english):
    expenditure = pay(world, give(world, make_budget("1000"), "500"), "10")
    services.attach_voucher(world.county_admin, expenditure, ContentFile(PNG, name="scan.png"))
    expenditure.refresh_from_db()
    assert expenditure.voucher.name.endswith(".png")
    with pytest.raises(ValidationError) as refused:
        services.attach_voucher(world.county_admin, expenditure, ContentFile(PNG, name="again.png"))
    assert "already has its voucher" in message(refused)
    with pytest.raises(PermissionDenied):
        services.attach_voucher(world.county_admin_b, expenditure, ContentFile(PNG, name="b.png"))


def test_spending_a_budget_with_nothing_unallocated_is_refused(world, make_budget, english):
    budget = make_budget("1000")
    give(world, budget, "1000")
    with pytest.raises(ValidationError) as refused:
        pay(world, budget, "1")
    assert "Nothing of this budget is unallocated" in message(refused)


def test_platform_spending_reuses_the_platform_allocation(world, make_budget):
    budget = make_budget("1000")
    give(world, budget, "200")
    pay(world, budget, "100")
    pay(world, budget, "100")
    platform = Allocation.objects.get(budget=budget, recipient_kind=RecipientKind.PLATFORM)
    assert platform.amount == Decimal("800")
    assert platform.expenditures.count() == 2


def test_spending_against_a_reversing_entry_is_refused(world, make_budget, english):
    allocation = give(world, make_budget("1000"), "500")
    reversal = services.reverse_allocation(world.county_admin, allocation, reason="退回", amount="100")
    with pytest.raises(ValidationError) as refused:
        pay(world, reversal, "1")
    assert "not against its reversing entry" in message(refused)


def test_other_county_may_not_spend(world, make_budget):
    allocation = give(world, make_budget("1000"), "500")
    with pytest.raises(PermissionDenied):
        pay(world, allocation, "1", by="county_admin_b")


# --- reversals -----------------------------------------------------------------------------------------------


def test_reversing_an_expenditure_restores_the_balance(world, make_budget):
    allocation = give(world, make_budget("1000"), "500")
    spent = pay(world, allocation, "300")
    reversal = services.reverse_expenditure(world.county_admin, spent, reason="发票作废")
    assert reversal.amount == Decimal("-300") and reversal.reverses == spent and reversal.reason == "发票作废"
    assert services.allocation_totals(allocation).balance == Decimal("500")
    assert Expenditure.objects.count() == 2  # the original stays


def test_expenditure_reversal_refusals(world, make_budget, english):
    spent = pay(world, give(world, make_budget("1000"), "500"), "300")
    with pytest.raises(ValidationError) as refused:
        services.reverse_expenditure(world.county_admin, spent, reason=" ")
    assert "Say why" in message(refused)
    reversal = services.reverse_expenditure(world.county_admin, spent, reason="作废")
    with pytest.raises(ValidationError) as refused:
        services.reverse_expenditure(world.county_admin, spent, reason="again")
    assert "already been reversed" in message(refused)
    with pytest.raises(ValidationError) as refused:
        services.reverse_expenditure(world.county_admin, reversal, reason="undo")
    assert "cannot itself be reversed" in message(refused)
    with pytest.raises(PermissionDenied):
        services.reverse_expenditure(world.county_admin_b, spent, reason="x")


def test_reversing_an_allocation_returns_its_unspent_balance(world, make_budget):
    budget = make_budget("1000")
    allocation = give(world, budget, "500")
    pay(world, allocation, "200")
    reversal = services.reverse_allocation(world.county_admin, allocation, reason="项目终止")
    assert reversal.amount == Decimal("-300")
    totals = services.budget_totals(budget)
    assert (totals.allocated, totals.unallocated, totals.spent, totals.balance) == (200, 800, 200, 0)
    assert services.allocation_totals(allocation).balance == 0


def test_allocation_reversal_refusals(world, make_budget, english):
    allocation = give(world, make_budget("1000"), "500")
    pay(world, allocation, "400")
    with pytest.raises(ValidationError) as refused:
        services.reverse_allocation(world.county_admin, allocation, reason="x", amount="100.01")
    assert "Only ¥100.00 of this allocation is unspent" in message(refused)
    with pytest.raises(ValidationError) as refused:
        services.reverse_allocation(world.county_admin, allocation, reason="")
    assert "Say why" in message(refused)
    reversal = services.reverse_allocation(world.county_admin, allocation, reason="x")
    with pytest.raises(ValidationError) as refused:
        services.reverse_allocation(world.county_admin, allocation, reason="x")
    assert "Nothing of this allocation is left" in message(refused)
    with pytest.raises(ValidationError) as refused:
        services.reverse_allocation(world.county_admin, reversal, reason="x")
    assert "cannot itself be reversed" in message(refused)
    with pytest.raises(PermissionDenied):
        services.reverse_allocation(world.supervisor, allocation, reason="x")


# --- append-only ---------------------------------------------------------------------------------------------


def test_posted_entries_are_never_changed_or_deleted(world, make_budget):
    allocation = give(world, make_budget("1000"), "500")
    spent = pay(world, allocation, "100")
    for entry in (allocation, spent):
        entry.amount = Decimal("1")
        with pytest.raises(PostedEntryError):
            entry.save()
        with pytest.raises(PostedEntryError):
            entry.save(update_fields=["amount"])
        with pytest.raises(PostedEntryError):
            entry.delete()
        with pytest.raises(PostedEntryError):
            type(entry).objects.filter(pk=entry.pk).update(amount=1)
        with pytest.raises(PostedEntryError):
            type(entry).objects.filter(pk=entry.pk).delete()
    assert services.allocation_totals(allocation).balance == Decimal("400")


def test_postings_are_audited_with_the_acting_user(world, make_budget):
    allocation = give(world, make_budget("1000"), "500")
    spent = pay(world, allocation, "100", voucher=ContentFile(PDF, name="v.pdf"))
    reversal = services.reverse_expenditure(world.county_admin, spent, reason="作废")
    for entry in (allocation, spent, reversal):
        change = ObjectChange.objects.get(object_id=str(entry.pk), content_type__model=type(entry)._meta.model_name)
        assert change.action == ChangeAction.CREATE and change.user == world.county_admin
        assert change.area_code == world.county_a.code
    assert ObjectChange.objects.get(object_id=str(reversal.pk), content_type__model="expenditure").after["reason"]


def test_fund_sources_are_edited_by_platform_admins_only(world, english):
    created = services.save_fund_source(world.admin, code="ngo", name_zh="社会捐赠", name_en="Donations", position=9)
    assert FundSource.objects.get(code="ngo") == created
    with pytest.raises(PermissionDenied):
        services.save_fund_source(world.county_admin, code="x", name_zh="x", name_en="x", position=1)
