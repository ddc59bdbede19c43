"""A 2020 transfer-payment call of county A funded from a ¥298,000 ledger budget, reviewers in its pool, and helpers
that take a declaration through its life one service at a time, so each test starts from the state it is about."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.funds.models import FundSource
from sciaid.funds.services import create_budget
from sciaid.projects import services
from sciaid.projects.choices import CallKind
from sciaid.projects.models import Call, Project

APPLICANT_ORG = "寿县联众畜牧养殖有限公司"


def declaration(world, **overrides) -> dict:
    """A complete declaration: ¥80,000 in two budget lines, two indicators, one team member, one village."""
    data = {
        "title": "江淮分水岭地区湖羊生态养殖关键技术集成与示范",
        "industry": "湖羊养殖",
        "requested_amount": Decimal("80000"),
        "partner": "安徽省农业科学院",
        "villages": [world.village_a1],
        "indicators": [
            {"kind": "households", "planned": "120", "unit": "户"},
            {"kind": "poor_households", "planned": "40", "unit": "户"},
        ],
        "budget_lines": [
            {"category": "materials", "amount": "50000", "description": "青贮饲料"},
            {"category": "training", "amount": "30000"},
        ],
        "team": [{"name": "张明", "organisation": APPLICANT_ORG, "duty": "负责人"}],
    }
    return {**data, **overrides}


def make_reviewer(world, username: str, organisation: str = "安徽农业大学", area: str = "county_a") -> User:
    user = User.objects.create_user(username, password="pw", organisation=organisation, full_name=username.title())
    RoleGrant.objects.create(user=user, role=Role.REVIEWER, area=world.areas[area])
    world.users[username] = user
    return user


@pytest.fixture
def applicant(world) -> User:
    user = world.applicant
    user.organisation = APPLICANT_ORG
    user.save()
    return user


@pytest.fixture
def budget(world):
    source = FundSource.objects.get(code="province-transfer")
    return create_budget(
        world.county_admin,
        year=2020,
        area=world.county_a,
        source=source,
        amount=Decimal("298000"),
        purpose="2020年科技扶贫转移支付示范项目",
    )


@pytest.fixture
def call(world, budget) -> Call:
    return services.create_call(
        world.county_admin,
        area=world.county_a,
        title="2020年度科技扶贫转移支付示范项目申报",
        year=2020,
        kind=CallKind.TRANSFER_PAYMENT,
        budget_cap=Decimal("298000"),
        per_project_cap=Decimal("100000"),
        deadline=timezone.localdate() + timedelta(days=30),
        budget=budget,
    )


@pytest.fixture
def reviewers(world) -> list[User]:
    """The world's reviewer and two more of county A, all of other organisations than the applicant."""
    world.reviewer.organisation = "安徽省农业科学院"
    world.reviewer.save()
    return [world.reviewer, make_reviewer(world, "reviewer2"), make_reviewer(world, "reviewer3", "淮南市畜牧站")]


@pytest.fixture
def project(world, applicant, call) -> Project:
    return services.declare(applicant, call, **declaration(world))


def to_review(world, project: Project) -> Project:
    services.submit(world.applicant, project)
    services.check(world.county_admin, project, passed=True)
    return project


def score_all(project: Project, reviewers, totals=(80, 90, 70)) -> None:
    criteria = list(project.call.criteria.all())
    for reviewer, value in zip(reviewers, totals, strict=False):
        review = project.reviews.get(reviewer=reviewer)
        services.score(reviewer, review, scores={c.pk: value for c in criteria}, comments="可行")


def to_approved(world, project: Project, reviewers, amount=Decimal("70000")) -> Project:
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers)
    score_all(project, reviewers)
    return services.approve(world.county_admin, project, amount=amount)


def to_in_progress(world, project: Project, reviewers) -> Project:
    to_approved(world, project, reviewers)
    today = timezone.localdate()
    services.sign_taskbook(
        world.county_admin,
        project,
        milestones=[{"title": "青贮饲料制备", "due_on": today + timedelta(days=60)}],
        budget_scope="饲料、培训",
    )
    services.sign_taskbook(world.applicant, project)
    return project
