"""The consistency appendix, with data made inconsistent on purpose in the two-county world."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.experts.models import Pairing
from sciaid.funds import services as funds
from sciaid.funds.models import Allocation, Expenditure, FundSource
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import Call, Milestone, Project
from sciaid.reports.self_inspection.checks import run_checks
from sciaid.reports.tests.conftest import ExpertFactory

TODAY = date(2021, 3, 1)


def checks_of(world, area=None):
    return {check.key: check for check in run_checks(area or world.county_a, 2020, today=TODAY)}


@pytest.fixture
def consistent(world, media_root):
    """A's ledger reconciling with a voucher on its one expenditure; both poor villages of A paired."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    source = FundSource.objects.get(code="county")
    budget = funds.create_budget(
        world.county_admin, year=2020, area=world.county_a, source=source, amount="1000", purpose="Platform"
    )
    allocation = funds.allocate(
        world.county_admin,
        budget,
        recipient_kind="organisation",
        recipient=world.county_a,
        recipient_name="Platform",
        amount="800",
        purpose="Operation",
        allocated_on=date(2020, 3, 1),
    )
    pdf = SimpleUploadedFile("voucher.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    funds.spend(
        world.county_admin,
        allocation,
        category="training",
        amount="300",
        spent_on=date(2020, 4, 1),
        payee="X",
        voucher=pdf,
    )
    expert = ExpertFactory(home_area=world.county_a)
    for village in (world.village_a1, world.village_a3):
        Pairing.objects.create(expert=expert, village=village, year=2020)
    return {"budget": budget, "allocation": allocation, "expert": expert}


def test_consistent_data_pass_every_check(world, consistent):
    checks = checks_of(world)
    assert {key: check.passed for key, check in checks.items()} == dict.fromkeys(checks, True)


def test_an_over_allocated_budget_and_an_overspent_allocation_fail_the_ledger(world, consistent):
    budget = consistent["budget"]
    # Written past the services, as a bad import or a hand edit in the database would.
    extra = Allocation.objects.create(
        budget=budget,
        recipient_kind="organisation",
        recipient_name="Somebody",
        amount=Decimal("500"),
        purpose="Too much",
        allocated_on=date(2020, 5, 1),
    )
    Expenditure.objects.create(
        allocation=extra, category="training", amount=Decimal("600"), spent_on=date(2020, 6, 1), payee="Y"
    )
    ledger = checks_of(world)["ledger"]
    assert not ledger.passed and ledger.count == 2
    assert [problem.url for problem in ledger.problems] == [budget.get_absolute_url(), extra.get_absolute_url()]
    assert "¥1,300.00" in ledger.problems[0].detail  # allocated 800 + 500 of 1,000
    assert checks_of(world, world.county_b)["ledger"].passed


def test_an_expenditure_without_voucher_is_listed(world, consistent):
    expenditure = funds.spend(
        world.county_admin,
        consistent["allocation"],
        category="travel",
        amount="10",
        spent_on=date(2020, 7, 1),
        payee="Driver",
    )
    vouchers = checks_of(world)["vouchers"]
    assert vouchers.count == 1 and vouchers.problems[0].url == expenditure.get_absolute_url()
    funds.reverse_expenditure(world.county_admin, expenditure, reason="Wrong", reversed_on=date(2020, 7, 2))
    assert checks_of(world)["vouchers"].passed


def test_a_poor_village_without_commissioner_is_listed(world, consistent):
    Pairing.objects.filter(village=world.village_a3).delete()
    coverage = checks_of(world)["coverage"]
    assert coverage.count == 1
    assert coverage.problems[0].url == reverse("regions:area-detail", args=[world.village_a3.code])
    assert world.village_a3.name in coverage.problems[0].label


def test_logs_counting_unregistered_households_are_listed(world, consistent):
    log = ServiceLog.objects.create(
        expert=consistent["expert"],
        village=world.village_a1,
        kind=ServiceKind.GUIDANCE,
        served_on=date(2020, 6, 1),
        summary="Crab ponds",
        other_households=4,
        status=LogStatus.CONFIRMED,
    )
    households = checks_of(world)["households"]
    assert households.count == 1 and households.problems[0].url == log.get_absolute_url()


def test_a_running_project_past_a_milestone_or_a_rectification_is_listed(world, consistent, english):
    call = Call.objects.create(
        area=world.county_a,
        title="2020 call",
        year=2020,
        budget_cap=Decimal("298000"),
        per_project_cap=Decimal("100000"),
        deadline=date(2020, 5, 31),
    )
    project = Project.objects.create(
        call=call,
        county=world.county_a,
        applicant=world.applicant,
        organisation="Co-op",
        title="Hu sheep",
        industry="sheep",
        requested_amount=Decimal("80000"),
        approved_amount=Decimal("70000"),
        status=ProjectStatus.IN_PROGRESS,
    )
    Milestone.objects.create(project=project, title="Silage", due_on=date(2021, 6, 1))
    assert checks_of(world)["projects"].passed  # due after the year
    Milestone.objects.create(project=project, title="Sheds", due_on=date(2020, 9, 1))
    projects = checks_of(world)["projects"]
    assert projects.count == 1 and projects.problems[0].url == project.get_absolute_url()
    assert "milestone" in projects.problems[0].detail
