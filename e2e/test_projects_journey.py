"""A project's year in the browser: the applicant declares step by step on a 360 px phone, the county checks it and
assigns a reviewer, the reviewer scores, the county approves and writes the task book, the applicant signs, the
county draws an inspection, the drawn inspector records a finding to rectify, the applicant rectifies and reports,
and the county closes the item and accepts the project."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sciaid.funds.models import FundSource
from sciaid.funds.services import create_budget, statement
from sciaid.projects import services
from sciaid.projects.choices import ProjectStatus, RectificationStatus
from sciaid.projects.models import Inspection, Project, Rectification

# Live-server tests flush the database afterwards; serialized rollback brings back what data migrations seed.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def call(world):
    world.applicant.organisation = "寿县联众畜牧养殖有限公司"
    world.applicant.save()
    world.reviewer.organisation = "安徽省农业科学院"
    world.reviewer.save()
    budget = create_budget(
        world.county_admin,
        year=2020,
        area=world.county_a,
        source=FundSource.objects.get(code="province-transfer"),
        amount=Decimal("298000"),
        purpose="科技扶贫转移支付示范项目",
    )
    return services.create_call(
        world.county_admin,
        area=world.county_a,
        title="科技扶贫转移支付示范项目申报",
        year=2020,
        kind="transfer_payment",
        budget_cap=Decimal("298000"),
        per_project_cap=Decimal("100000"),
        deadline=timezone.localdate() + timedelta(days=30),
        budget=budget,
    )


def test_a_project_goes_from_declaration_to_acceptance(world, phone, desk, call):
    page = phone.page
    later = (timezone.localdate() + timedelta(days=20)).isoformat()

    # The applicant declares on the phone, one step at a time; each step saves the draft.
    phone.log_in("applicant")
    phone.open("/projects/calls/")
    phone.follow(f'a[href$="/projects/calls/{call.pk}/"]')
    phone.follow(f'a[href$="/projects/calls/{call.pk}/declare/"]')
    page.fill("input[name=title]", "江淮分水岭地区湖羊生态养殖关键技术集成与示范")
    page.fill("input[name=industry]", "湖羊养殖")
    page.fill("input[name=partner]", "安徽省农业科学院")
    page.fill("input[name=requested_amount]", "80000")
    # The villages come by township; typing part of a name or its pinyin narrows them down.
    page.fill(".village-filter", "yaoci")
    assert page.locator(f"input[name=villages][value='{world.village_a1.pk}']").is_visible()
    assert not page.locator(f"input[name=villages][value='{world.village_a2.pk}']").is_visible()
    assert not page.locator(f"input[name=villages][value='{world.village_a3.pk}']").is_visible()
    page.check(f"input[name=villages][value='{world.village_a1.pk}']")
    phone.screenshot("villages")
    assert page.locator(".village-count strong").inner_text() == "1"
    page.fill(".village-filter", "")
    assert page.locator(f"input[name=villages][value='{world.village_a3.pk}']").is_hidden()  # its township folded
    assert phone.overflow() <= 0
    phone.follow("form.card button[type=submit]")
    project = Project.objects.get()
    assert page.url.endswith(f"/projects/{project.pk}/edit/indicators/")
    page.fill("input[name=rows-0-planned]", "120")
    phone.follow("form.card button[type=submit]")
    page.select_option("select[name=rows-0-category]", "materials")
    page.fill("input[name=rows-0-amount]", "80000")
    phone.follow("form.card button[type=submit]")
    page.fill("input[name=rows-0-name]", "王德胜")
    phone.follow("form.card button[type=submit]")
    # Complete after the last step: the page offers the submission itself.
    assert page.url.endswith("/edit/attachments/")
    phone.follow("#next-step button[type=submit]")
    phone.screenshot("submitted")
    assert Project.objects.get().status == ProjectStatus.SUBMITTED

    # The county passes the formal check and assigns the reviewer.
    county = desk("county_admin")
    county.open(f"/projects/{project.pk}/")
    county.page.check("form.action-check input[name=passed][value='1']")
    county.follow("form.action-check button")
    county.page.check(f"form.action-assign_reviewers input[name=reviewers][value='{world.reviewer.pk}']")
    county.follow("form.action-assign_reviewers button")

    # The reviewer scores every criterion from their list.
    reviewer = desk("reviewer")
    reviewer.open("/projects/reviews/")
    reviewer.follow(".cards a")
    for field in reviewer.page.locator("input[name^=score_]").all():
        field.fill("88")
    reviewer.page.fill("textarea[name=comments]", "技术路线可行，带贫机制明确")
    reviewer.follow("form.card button[type=submit]")
    assert Project.objects.get().score == Decimal("88.00")

    # The county approves ¥70,000 (allocated in the ledger) and writes and signs the task book.
    county.open(f"/projects/{project.pk}/")
    county.page.fill("form.action-approve input[name=amount]", "70000")
    county.follow("form.action-approve button")
    county.page.fill("form.action-write_taskbook textarea[name=milestones]", f"{later} 青贮饲料制备")
    county.page.fill("form.action-write_taskbook textarea[name=budget_scope]", "饲料、培训")
    county.follow("form.action-write_taskbook button")
    assert statement(project).allocated == Decimal("70000")

    # The applicant signs on the phone: the project starts.
    phone.open(f"/projects/{project.pk}/")
    phone.follow("form.action-sign button")
    assert Project.objects.get().status == ProjectStatus.IN_PROGRESS

    # The county draws the inspection; the drawn inspector records a finding with an item to rectify.
    county.open("/projects/inspections/draw/")
    county.page.select_option("select[name=area]", str(world.county_a.pk))
    county.page.fill("input[name=title]", "2020年双随机检查")
    county.page.fill("input[name=project_count]", "1")
    county.page.fill("input[name=inspector_count]", "1")
    county.page.fill("input[name=seed]", "2020")
    county.follow("form.card button[type=submit]")
    inspection = Inspection.objects.get()
    reviewer.open(f"/projects/inspections/{inspection.pk}/")
    reviewer.page.select_option("form.finding select[name$=level]", "minor")
    reviewer.page.fill("form.finding textarea[name$=findings]", "饲草收购台账不完整")
    reviewer.page.fill("form.finding textarea[name$=rectification]", "补齐饲草收购台账")
    reviewer.page.fill("form.finding input[name$=deadline]", later)
    reviewer.follow("form.finding button")
    rectification = Rectification.objects.get()

    # The applicant rectifies on the phone; the county closes the item.
    phone.open("/projects/rectifications/")
    phone.follow(f'a[href$="/projects/rectifications/{rectification.pk}/"]')
    page.fill("form.action-submit_evidence textarea[name=evidence]", "台账已补齐并公示")
    phone.follow("form.action-submit_evidence button")
    county.open(f"/projects/rectifications/{rectification.pk}/")
    county.page.check("form.action-close input[name=accepted][value='1']")
    county.follow("form.action-close button")
    assert Rectification.objects.get().status == RectificationStatus.CLOSED

    # The applicant submits the final report; the county accepts.
    phone.open(f"/projects/{project.pk}/")
    for field in page.locator("form.action-submit_final input[name^=achieved_]").all():
        field.fill("130")
    page.fill("form.action-submit_final textarea[name=summary]", "带动130户，其中贫困户45户")
    phone.follow("form.action-submit_final button")
    county.open(f"/projects/{project.pk}/")
    county.page.check("form.action-accept input[name=verdict][value='passed']")
    county.follow("form.action-accept button")
    county.screenshot("accepted")

    project.refresh_from_db()
    assert (project.status, project.verdict) == (ProjectStatus.ACCEPTED, "passed")
    phone.open(f"/projects/{project.pk}/")
    assert phone.overflow() <= 0
    assert phone.foreign_requests == []
