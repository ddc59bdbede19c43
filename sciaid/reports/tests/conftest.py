"""A small year 2020 of every domain in the two-county world, with figures that are easy to add up by hand.

County A (寿县) and county B (凤台县) of the `world` fixture; the expected values are written beside each test.
Stored figure tables (training, commissioners' village figures, market) are filled directly, as their services
would leave them; the rest goes through the models (or the funds services, which keep the ledger consistent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import factory
import pytest
from django.core.cache import cache
from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.achievements.choices import AchievementKind, TransferMode, TransferStatus
from sciaid.achievements.models import Achievement, Transfer
from sciaid.assistance.models import Demand
from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.appraisals.models import Appraisal, AppraisalRubric
from sciaid.commissioners.logs.models import VillageYearFigures
from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.commissioners.workstations.models import Workstation
from sciaid.core.roles import Role
from sciaid.demonstration.choices import OperatorKind, SiteStatus
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.funds import services as funds
from sciaid.funds.models import FundSource
from sciaid.market.choices import ProductCategory, SupplierKind
from sciaid.market.models import Buyer, BuyerFigures, MarketFigures, Quota, Supplier, SupplierFigures
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import Call, Project
from sciaid.regions.services import refresh_area_statistics
from sciaid.training.choices import TrainingKind
from sciaid.training.models import TrainingFigures, TrainingKindFigures

YEAR = 2020


def at(day: str) -> datetime:
    """Noon of a local day, as an aware datetime."""
    return timezone.make_aware(datetime.fromisoformat(f"{day}T12:00:00"))


class DemandFactory(factory.django.DjangoModelFactory):
    """A demand of a village; `submitted` (a day) is written after saving, `submitted_at` being auto_now_add."""

    class Meta:
        model = Demand

    title = factory.Sequence(lambda n: f"Demand {n}")
    description = "Crabs die in July"
    specialty = factory.LazyFunction(lambda: Specialty.objects.get(code="river-crabs"))
    requester_role = Role.INFO_OFFICER

    @classmethod
    def _create(cls, model_class, *args, submitted: str, **kwargs):
        demand = super()._create(model_class, *args, **kwargs)
        Demand.objects.filter(pk=demand.pk).update(submitted_at=at(submitted))
        return demand


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.Sequence(lambda n: User.objects.create_user(f"commissioner{n}", password="pw"))
    name = factory.Sequence(lambda n: f"Commissioner {n}")
    organisation = "Anhui Academy"
    is_commissioner = True


@dataclass
class Data:
    experts: list = field(default_factory=list)


def demands(world) -> None:
    """County A: three demands of 2020 (March, July, July) and one of 2021; county B: one of July 2020.

    A-March: rated 5, valid, resolved in March.  A-July-1: rated 3, not valid, resolved in July.
    A-July-2: unrated, unjudged, escalated once (an SLA breach), open.  B-July: rated 4, valid, resolved in July.
    """
    a_officer, b_officer = world.info_officer, world.info_officer_b
    DemandFactory(
        village=world.village_a1,
        requester=a_officer,
        submitted="2020-03-10",
        status="closed",
        rating=5,
        valid=True,
        resolved_at=at("2020-03-12"),
    )
    DemandFactory(
        village=world.village_a3,
        requester=a_officer,
        submitted="2020-07-05",
        status="closed",
        rating=3,
        valid=False,
        resolved_at=at("2020-07-08"),
    )
    DemandFactory(village=world.village_a1, requester=a_officer, submitted="2020-07-20", escalation_level=1)
    DemandFactory(village=world.village_a1, requester=a_officer, submitted="2021-01-05")
    DemandFactory(
        village=world.village_b1,
        requester=b_officer,
        submitted="2020-07-01",
        status="closed",
        rating=4,
        valid=True,
        resolved_at=at("2020-07-02"),
    )


def commissioners(world, data: Data) -> None:
    """Three commissioners: #0 paired with A1 and B1, #1 with A3, #2 with nobody in 2020 (2019 only).
    Stored village figures for A1 and A3; published appraisals (A: excellent, qualified; B: excellent) and a
    draft one that does not count; workstations of A: one filed in 2020, one filed in 2021, one applied."""
    one, two, three = (ExpertFactory(home_area=world.county_a) for _ in range(3))
    data.experts = [one, two, three]
    Pairing.objects.create(expert=one, village=world.village_a1, year=YEAR)
    Pairing.objects.create(expert=two, village=world.village_a3, year=YEAR)
    Pairing.objects.create(expert=one, village=world.village_b1, year=YEAR)
    Pairing.objects.create(expert=three, village=world.village_a1, year=2019)
    VillageYearFigures.objects.create(
        village=world.village_a1,
        year=YEAR,
        services=5,
        trainings=2,
        trainees=40,
        households=7,
        varieties=1,
        techniques=2,
    )
    VillageYearFigures.objects.create(
        village=world.village_a3, year=YEAR, services=3, trainings=1, trainees=10, households=3
    )
    VillageYearFigures.objects.create(village=world.village_b1, year=2019, services=9, trainings=9, trainees=99)
    rubric_a = AppraisalRubric.objects.create(county=world.county_a, year=YEAR, status=RoundStatus.PUBLISHED)
    rubric_b = AppraisalRubric.objects.create(county=world.county_b, year=YEAR, status=RoundStatus.PUBLISHED)
    Appraisal.objects.create(rubric=rubric_a, expert=one, rating=Rating.EXCELLENT)
    Appraisal.objects.create(rubric=rubric_a, expert=two, rating=Rating.QUALIFIED)
    Appraisal.objects.create(rubric=rubric_b, expert=one, rating=Rating.EXCELLENT)
    draft = AppraisalRubric.objects.create(county=world.county_a, year=2019)
    Appraisal.objects.create(rubric=draft, expert=three, rating=Rating.UNQUALIFIED)
    for name, status, filed_on in [
        ("Filed 2020", WorkstationStatus.FILED, date(2020, 5, 1)),
        ("Filed 2021", WorkstationStatus.FILED, date(2021, 2, 1)),
        ("Applied", WorkstationStatus.APPLIED, None),
    ]:
        Workstation.objects.create(
            name=name,
            organisation="Crab cooperative",
            industry="河蟹养殖",
            village=world.village_a1,
            plan="Green crab farming",
            applicant=world.applicant,
            status=status,
            filed_on=filed_on,
        )


def training(world) -> None:
    """A: 30 + 2 distinct trainees (a village and the county's own courses), 3 + 1 trainings with 45 + 5 trainees,
    20 ratings of which 15 satisfied; B: 1 training, 12 trainees, 12 distinct, 4 ratings all satisfied."""
    TrainingFigures.objects.create(
        area=world.village_a1, year=YEAR, distinct_trainees=30, poor_household_trainees=10, ratings=20, satisfied=15
    )
    TrainingFigures.objects.create(area=world.county_a, year=YEAR, distinct_trainees=2)
    TrainingFigures.objects.create(area=world.village_b1, year=YEAR, distinct_trainees=12, ratings=4, satisfied=4)
    TrainingFigures.objects.create(area=world.village_b1, year=2019, distinct_trainees=99)
    TrainingKindFigures.objects.create(
        area=world.township_a1, year=YEAR, kind=TrainingKind.PRACTICAL, events=3, trainees=45
    )
    TrainingKindFigures.objects.create(area=world.county_a, year=YEAR, kind=TrainingKind.LEADER, events=1, trainees=5)
    TrainingKindFigures.objects.create(
        area=world.village_b1, year=YEAR, kind=TrainingKind.PRACTICAL, events=1, trainees=12
    )


def ledger(world) -> None:
    """A: the seeds' ¥300,000 budget, all allocated, ¥287,606 spent (balance ¥12,394); B: ¥10,000 budgeted, ¥6,000
    allocated, ¥1,000 spent; a 2021 budget of A that 2020 never sees."""
    source = FundSource.objects.get(code="county")
    for county, admin, amount, allocated, spent in [
        (world.county_a, world.county_admin, "300000", "300000", ["200000", "87606"]),
        (world.county_b, world.county_admin_b, "10000", "6000", ["1000"]),
    ]:
        budget = funds.create_budget(admin, year=YEAR, area=county, source=source, amount=amount, purpose="S&T aid")
        allocation = funds.allocate(
            admin,
            budget,
            recipient_kind="organisation",
            recipient=county,
            recipient_name="Platform",
            amount=allocated,
            purpose="Platform operation",
            allocated_on=date(2020, 3, 1),
        )
        for value in spent:
            funds.spend(admin, allocation, category="training", amount=value, spent_on=date(2020, 4, 1), payee="X")
    funds.create_budget(
        world.county_admin, year=2021, area=world.county_a, source=source, amount="5000", purpose="Next year"
    )


def projects(world) -> None:
    """A's 2020 call: one project approved (¥70,000) and now in progress, one rejected, both declared in April and
    decided in June; one draft never submitted."""
    call = Call.objects.create(
        area=world.county_a,
        title="2020 call",
        year=YEAR,
        budget_cap=Decimal("298000"),
        per_project_cap=Decimal("100000"),
        deadline=date(2020, 5, 31),
    )
    common = {"call": call, "county": world.county_a, "applicant": world.applicant, "organisation": "Co-op"}
    Project.objects.create(
        **common,
        title="Hu sheep",
        industry="sheep",
        requested_amount=Decimal("80000"),
        approved_amount=Decimal("70000"),
        status=ProjectStatus.IN_PROGRESS,
        submitted_at=at("2020-04-10"),
        decided_at=at("2020-06-01"),
    )
    Project.objects.create(
        **common,
        title="Crabs",
        industry="crabs",
        requested_amount=Decimal("50000"),
        status=ProjectStatus.REJECTED,
        submitted_at=at("2020-04-20"),
        decided_at=at("2020-06-01"),
    )
    Project.objects.create(**common, title="Tea", industry="tea", requested_amount=Decimal("10000"))


def demonstration(world) -> None:
    """A: one site demonstrating since 2019 with 2020 figures (20 households, ¥180,000), one draft site."""
    specialty = Specialty.objects.get(code="river-crabs")
    common = {"operator_kind": OperatorKind.COOPERATIVE, "operator_name": "Co-op", "industry": specialty}
    site = DemoSite.objects.create(
        **common, name="Crab base", village=world.village_a1, status=SiteStatus.ACTIVE, established_year=2019
    )
    DemoSite.objects.create(**common, name="Draft base", village=world.village_a3)
    SiteFigures.objects.create(
        site=site,
        year=YEAR,
        output=Decimal("12.5"),
        yield_per_mu=Decimal("75"),
        income=Decimal("180000"),
        households_driven=20,
        poor_income_increase=Decimal("2500"),
    )


def transfers(world) -> None:
    """A: a transfer signed in April (¥1,000), one signed in July and applied in August (¥500), one cancelled."""
    achievement = Achievement.objects.create(
        title="Green crab farming",
        kind=AchievementKind.TECHNIQUE,
        owner="Institute",
        area=world.county_a,
        description="Rice and crabs in one field",
    )
    common = {"achievement": achievement, "recipient": "Co-op", "area": world.village_a1, "mode": TransferMode.LICENCE}
    Transfer.objects.create(**common, contract_value=Decimal("1000"), signed_on=date(2020, 4, 1))
    Transfer.objects.create(
        **common,
        contract_value=Decimal("500"),
        signed_on=date(2020, 7, 1),
        applied_on=date(2020, 8, 1),
        status=TransferStatus.APPLIED,
    )
    Transfer.objects.create(
        **common, contract_value=Decimal("9000"), signed_on=date(2020, 7, 2), status=TransferStatus.CANCELLED
    )


def market(world) -> None:
    """A's suppliers sold ¥100 in March and ¥250.50 in August (3 orders); A's buyer has a ¥1,000 quota and bought
    ¥400; B's buyer a ¥500 quota and bought nothing."""
    supplier = Supplier.objects.create(name="Rice co-op", kind=SupplierKind.COOPERATIVE, area=world.village_a1)
    for month, amount, quantity, orders in [(3, "100.00", 2, 1), (8, "250.50", 5, 2)]:
        MarketFigures.objects.create(
            county=world.county_a,
            year=YEAR,
            month=month,
            category=ProductCategory.GRAIN_OIL,
            amount=Decimal(amount),
            quantity=quantity,
            orders=orders,
        )
        SupplierFigures.objects.create(
            supplier=supplier, county=world.county_a, year=YEAR, month=month, amount=Decimal(amount), orders=orders
        )
    buyer_a = Buyer.objects.create(name="County hospital", area=world.county_a)
    buyer_b = Buyer.objects.create(name="County school", area=world.county_b)
    Quota.objects.create(buyer=buyer_a, year=YEAR, amount=Decimal("1000"))
    Quota.objects.create(buyer=buyer_b, year=YEAR, amount=Decimal("500"))
    BuyerFigures.objects.create(buyer=buyer_a, year=YEAR, amount=Decimal("400"), orders=2)


@pytest.fixture(autouse=True)
def no_cached_dashboards():
    """Each test renders its own dashboards: rendered figures cached by an earlier test (same codes, another
    database) must not be served."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(world) -> Data:
    made = Data()
    demands(world)
    commissioners(world, made)
    training(world)
    ledger(world)
    projects(world)
    demonstration(world)
    transfers(world)
    market(world)
    refresh_area_statistics()
    return made
