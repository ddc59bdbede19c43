"""The demo projects: the seeds' 2020 call with four projects sharing ¥298,000 at different stages, a verifiable
inspection draw, and work waiting for each persona."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from sciaid.accounts.models import User
from sciaid.funds.services import statement
from sciaid.projects import services
from sciaid.projects.choices import ProjectStatus, RectificationStatus, ReviewStatus
from sciaid.projects.models import Inspection, Project, Rectification, Review


@pytest.fixture
def demo(small_demo):
    return small_demo


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


def test_the_2020_records_carry_2020_dates_and_the_lists_open_on_2020(demo, client):
    inspection = Inspection.objects.get(year=2020)
    assert (inspection.drawn_at.year, inspection.published_at.year) == (2020, 2020)
    rectification = Rectification.objects.get()
    assert (rectification.deadline.year, rectification.escalated_at.year) == (2020, 2020)
    for project in Project.objects.filter(call__year=2020):
        stamps = [project.submitted_at, project.decided_at, project.started_at, project.final_at, project.accepted_at]
        assert {stamp.year for stamp in stamps if stamp} == {2020}, project
        assert {milestone.due_on.year for milestone in project.milestones.all()} == {2020}
    this_year = str(timezone.localdate().year)
    client.force_login(User.objects.get(username="county_admin"))
    for url in (f"/projects/inspections/{inspection.pk}/", f"/projects/rectifications/{rectification.pk}/"):
        main = client.get(url).content.decode().split("<main>")[1].split("</main>")[0]
        assert "2020-" in main and this_year not in main, url
    # The lists open on the latest year that has data, not on this year's empty one.
    assert {budget.year for budget in client.get("/funds/").context["object_list"]} == {2020}
    client.force_login(User.objects.get(username="applicant"))
    mine = list(client.get("/projects/").context["object_list"])
    assert {project.call.year for project in mine} == {2020} and any("湖羊" in project.title for project in mine)
