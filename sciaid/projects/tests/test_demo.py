"""The demo projects: the seeds' 2020 call with four projects sharing ¥298,000 at different stages, a verifiable
inspection draw, and work waiting for each persona."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.db.models import Sum

from sciaid.demo.builders import FENGTAI, SHOUXIAN, DemoBuilder
from sciaid.funds.services import statement
from sciaid.projects import services
from sciaid.projects.choices import ProjectStatus, RectificationStatus, ReviewStatus
from sciaid.projects.models import Inspection, Project, Rectification, Review


@pytest.fixture
def demo(db):
    DemoBuilder(counties=(replace(SHOUXIAN, villages=80, poor_villages=72), FENGTAI)).build()


def test_four_2020_projects_share_298000_from_the_ledger(demo):
    projects = Project.objects.filter(call__year=2020)
    assert projects.count() == 4
    assert projects.aggregate(total=Sum("approved_amount"))["total"] == Decimal("298000")
    for project in projects:
        money = statement(project)
        assert money.allocated == project.approved_amount
        assert money.allocated == money.spent + money.balance
    hu_sheep = projects.get(title__contains="湖羊")
    assert (hu_sheep.partner, hu_sheep.applicant.username) == ("安徽省农业科学院", "applicant")
    assert set(projects.values_list("status", flat=True)) == {
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.ACCEPTED,
        ProjectStatus.FINAL_REPORT,
    }


def test_the_2020_draw_reruns_to_the_recorded_result(demo):
    inspection = Inspection.objects.get(year=2020)
    assert services.verify(inspection).matches
    assert inspection.published_at is not None
    assert inspection.inspectors.filter(username="reviewer").exists()


def test_every_persona_finds_work(demo):
    rectification = Rectification.objects.get()
    assert (rectification.status, rectification.project.applicant.username) == (RectificationStatus.OPEN, "applicant")
    assert Review.objects.filter(reviewer__username="reviewer", status=ReviewStatus.ASSIGNED).exists()
    assert Project.objects.filter(status=ProjectStatus.FINAL_REPORT).exists()
    assert Project.objects.filter(status=ProjectStatus.UNDER_REVIEW, call__year__gt=2020).exists()
