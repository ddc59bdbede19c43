"""The project services: every rule and every refusal, one behaviour per test."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.models import Notification
from sciaid.core.notifications import recipient_language
from sciaid.core.roles import Role
from sciaid.core.states import TransitionRefused
from sciaid.funds.services import statement
from sciaid.projects import services
from sciaid.projects.choices import ProjectStatus, RectificationStatus, ReviewStatus
from sciaid.projects.models import Project, Rectification
from sciaid.projects.tests.conftest import (
    APPLICANT_ORG,
    declaration,
    make_reviewer,
    score_all,
    to_approved,
    to_in_progress,
    to_review,
)

pytestmark = pytest.mark.usefixtures("english")


def told(user, title: str) -> int:
    """How many notifications the user got with this title, as rendered in the recipient's own language (Chinese
    for the world's users, who chose none), whatever language the acting request speaks."""
    with translation.override(recipient_language(user)):
        rendered = gettext(title)
    return Notification.objects.filter(recipient=user, title=rendered).count()


# --- calls and declarations -------------------------------------------------------------------------------------


def test_a_call_gets_the_default_rubric(call):
    assert [c.weight for c in call.criteria.all()] == [30, 30, 20, 20]


def test_a_call_with_its_own_rubric_keeps_it(world):
    call = services.create_call(
        world.county_admin,
        area=world.county_a,
        title="Special",
        year=2020,
        kind="special",
        budget_cap=100,
        per_project_cap=50,
        deadline=timezone.localdate(),
        criteria=[("Effect", 60), ("Team", 40)],
    )
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("Effect", 60), ("Team", 40)]


def test_a_call_of_another_county_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.create_call(
            world.county_admin_b,
            area=world.county_a,
            title="x",
            year=2020,
            kind="special",
            budget_cap=100,
            per_project_cap=50,
            deadline=timezone.localdate(),
        )


def test_a_per_project_cap_above_the_total_is_refused(world):
    with pytest.raises(ValidationError, match="cannot exceed"):
        services.create_call(
            world.county_admin,
            area=world.county_a,
            title="x",
            year=2020,
            kind="special",
            budget_cap=100,
            per_project_cap=150,
            deadline=timezone.localdate(),
        )


def test_the_organisation_comes_from_the_applicants_account(project):
    assert project.organisation == APPLICANT_ORG
    assert project.status == ProjectStatus.DRAFT
    assert project.county.code == "340422000000"


def test_only_applicants_declare(world, call):
    with pytest.raises(PermissionDenied):
        services.declare(world.county_admin, call, **declaration(world))


def test_a_closed_call_takes_no_declarations(world, applicant, call):
    call.deadline = timezone.localdate() - timedelta(days=1)
    call.save()
    with pytest.raises(ValidationError, match="closed"):
        services.declare(applicant, call, **declaration(world))


def test_a_village_of_another_county_is_refused(world, applicant, call):
    with pytest.raises(ValidationError, match="not a village of the county"):
        services.declare(applicant, call, **declaration(world, villages=[world.village_b1]))


def test_budget_lines_must_sum_to_the_request(world, project):
    services.update_draft(world.applicant, project, budget_lines=[{"category": "materials", "amount": "1000"}])
    with pytest.raises(ValidationError, match=r"sum to ¥1,000\.00 but the request is ¥80,000\.00"):
        services.submit(world.applicant, project)
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.DRAFT


def test_a_request_over_the_cap_per_project_cannot_be_submitted(world, project):
    lines = [{"category": "materials", "amount": "150000"}]
    services.update_draft(world.applicant, project, requested_amount="150000", budget_lines=lines)
    with pytest.raises(ValidationError, match=r"cap of ¥100,000\.00"):
        services.submit(world.applicant, project)


def test_required_attachments_must_be_attached(world, project):
    project.call.required_attachments = ["Business licence"]
    project.call.save()
    with pytest.raises(ValidationError, match="Attach: Business licence"):
        services.submit(world.applicant, project)


def test_only_the_own_applicant_edits_the_draft(world, project):
    with pytest.raises(PermissionDenied):
        services.update_draft(world.county_admin, project, title="Hijacked")


def test_a_submitted_declaration_cannot_be_edited(world, project):
    services.submit(world.applicant, project)
    with pytest.raises(TransitionRefused):
        services.update_draft(world.applicant, project, title="Later")


def test_submitting_tells_the_county(world, project):
    services.submit(world.applicant, project)
    assert told(world.county_admin, "New project declaration to check")


def test_each_recipient_is_told_in_their_own_language_not_the_requests(world, project):
    """An English-speaking applicant submits: the county admin who chose English reads English, a colleague who
    chose Chinese reads Chinese."""
    world.county_admin.language = "en"
    world.county_admin.save(update_fields=["language"])
    colleague = User.objects.create_user("county_admin_zh", password="pw", language="zh-hans")
    RoleGrant.objects.create(user=colleague, role=Role.COUNTY_ADMIN, area=world.county_a)
    with translation.override("en"):
        services.submit(world.applicant, project)
    titles = dict(Notification.objects.filter(kind="project.submitted").values_list("recipient__username", "title"))
    assert titles == {"county_admin": "New project declaration to check", "county_admin_zh": "有新的项目申报待形式审查"}


def test_a_returned_declaration_goes_back_to_draft_with_the_comments(world, project):
    services.submit(world.applicant, project)
    services.check(world.county_admin, project, passed=False, comment="Add the partner agreement")
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert project.check_comment == "Add the partner agreement"
    assert told(world.applicant, "Your declaration was returned for changes")


def test_returning_needs_comments(world, project):
    services.submit(world.applicant, project)
    with pytest.raises(ValidationError):
        services.check(world.county_admin, project, passed=False)


def test_the_applicant_cannot_check_their_own_declaration(world, project):
    services.submit(world.applicant, project)
    with pytest.raises(PermissionDenied):
        services.check(world.applicant, project, passed=True)


def test_the_other_county_cannot_check(world, project):
    services.submit(world.applicant, project)
    with pytest.raises(TransitionRefused, match="outside your jurisdiction"):
        services.check(world.county_admin_b, project, passed=True)


def test_checking_twice_is_refused_by_state(world, project):
    to_review(world, project)
    with pytest.raises(TransitionRefused):
        services.check(world.county_admin, project, passed=True)


# --- review -------------------------------------------------------------------------------------------------------


def test_the_pool_excludes_the_applicants_organisation_and_the_team(world, project, reviewers):
    same_org = make_reviewer(world, "colleague", organisation=f" {APPLICANT_ORG} ")
    teammate = make_reviewer(world, "zhang", organisation="Elsewhere")
    teammate.full_name = "张明"
    teammate.save()
    pool = services.reviewer_pool(project)
    assert set(pool.eligible) == set(reviewers)
    assert dict(pool.conflicted) == {
        same_org: "same organisation as the applicant",
        teammate: "listed in the project team",
    }


def test_the_pool_includes_reviewers_of_the_city_but_not_of_another_county(world, project, reviewers):
    city = make_reviewer(world, "city_reviewer", area="city")
    other = make_reviewer(world, "b_reviewer", area="county_b")
    eligible = services.reviewer_pool(project).eligible
    assert city in eligible
    assert other not in eligible


def test_assigning_a_conflicted_reviewer_is_refused_by_name(world, project):
    colleague = make_reviewer(world, "colleague", organisation=APPLICANT_ORG)
    to_review(world, project)
    with pytest.raises(ValidationError, match="conflict of interest: same organisation"):
        services.assign_reviewers(world.county_admin, project, [colleague])
    assert not project.reviews.exists()


def test_assigning_someone_outside_the_pool_is_refused(world, project):
    to_review(world, project)
    with pytest.raises(ValidationError, match="not in the county's reviewer pool"):
        services.assign_reviewers(world.county_admin, project, [world.expert])


def test_a_drawn_panel_never_contains_a_conflicted_reviewer(world, project, reviewers):
    make_reviewer(world, "colleague", organisation=APPLICANT_ORG)
    to_review(world, project)
    reviews = services.assign_reviewers(world.county_admin, project, count=3, seed=1)
    assert {r.reviewer for r in reviews} == set(reviewers)
    assert told(reviewers[0], "A declaration awaits your review")


def test_reviewers_cannot_be_assigned_before_the_check(world, project, reviewers):
    with pytest.raises(TransitionRefused):
        services.assign_reviewers(world.county_admin, project, reviewers)


def test_a_score_is_the_weighted_mean_of_the_criteria(world, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers[:1])
    review = project.reviews.get()
    weights = [c.pk for c in project.call.criteria.all()]  # weights 30, 30, 20, 20
    services.score(reviewers[0], review, scores=dict(zip(weights, [100, 50, 80, 60], strict=True)), comments="ok")
    review.refresh_from_db()
    assert review.total == Decimal("73.00")  # (3000 + 1500 + 1600 + 1200) / 100
    assert review.status == ReviewStatus.SUBMITTED


def test_only_the_assigned_reviewer_scores(world, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers[:1])
    with pytest.raises(PermissionDenied):
        services.score(reviewers[1], project.reviews.get(), scores={}, comments="x")


@pytest.mark.parametrize("value", [-1, 101, "abc", None])
def test_scores_outside_0_to_100_are_refused(world, project, reviewers, value):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers[:1])
    scores = {c.pk: value for c in project.call.criteria.all()}
    with pytest.raises(ValidationError, match="from 0 to 100"):
        services.score(reviewers[0], project.reviews.get(), scores=scores, comments="x")


def test_with_four_reviewers_the_score_is_the_plain_mean():
    assert services.aggregate([Decimal(v) for v in (60, 70, 80, 95)]) == Decimal("76.25")


def test_with_five_reviewers_the_highest_and_lowest_are_dropped():
    assert services.aggregate([Decimal(v) for v in (10, 70, 80, 90, 100)]) == Decimal("80.00")


def test_the_projects_score_follows_its_reviews_and_ranks_the_call(world, applicant, call, reviewers):
    more = [make_reviewer(world, f"panel{i}") for i in range(2)]
    first = services.declare(applicant, call, **declaration(world, title="First"))
    second = services.declare(applicant, call, **declaration(world, title="Second"))
    for project, totals in ((first, (60, 70, 80, 90, 100)), (second, (85, 85, 85, 85))):
        panel = [*reviewers, *more][: len(totals)]
        to_review(world, project)
        services.assign_reviewers(world.county_admin, project, panel)
        score_all(project, panel, totals)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.score == Decimal("80.00")  # 60 and 100 dropped
    assert second.score == Decimal("85.00")
    assert [(p.rank, p.title) for p in services.ranking(call)] == [(1, "Second"), (2, "First")]


# --- approval ---------------------------------------------------------------------------------------------------


def test_approval_allocates_the_money_in_the_ledger(world, project, reviewers, budget):
    to_approved(world, project, reviewers, amount=Decimal("70000"))
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.approved_amount == Decimal("70000.00")
    money = statement(project)
    assert (money.allocated, money.spent, money.balance) == (Decimal("70000"), Decimal("0"), Decimal("70000"))
    assert money.allocations.get().budget == budget
    assert told(world.applicant, "Your project was approved")


def test_approval_waits_for_every_review(world, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers)
    score_all(project, reviewers[:2])
    with pytest.raises(ValidationError, match="Every assigned reviewer"):
        services.approve(world.county_admin, project, amount=70000)


@pytest.mark.parametrize(
    ("amount", "message"),
    [("80000.01", "exceeds the request"), ("0", "more than zero"), ("12.345", "two decimal places")],
)
def test_an_amount_over_the_request_is_refused(world, project, reviewers, amount, message):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers)
    score_all(project, reviewers)
    with pytest.raises(ValidationError, match=message):
        services.approve(world.county_admin, project, amount=amount)
    assert not statement(project).allocations.exists()


def test_an_amount_over_what_is_left_of_the_call_is_refused(world, applicant, call, reviewers):
    projects = [services.declare(applicant, call, **declaration(world, title=f"P{i}")) for i in range(4)]
    for project in projects[:3]:
        to_approved(world, project, reviewers, amount=Decimal("80000"))
    last = projects[3]
    to_review(world, last)
    services.assign_reviewers(world.county_admin, last, reviewers)
    score_all(last, reviewers)
    with pytest.raises(ValidationError, match=r"Only ¥58,000\.00 of the call's budget is left"):
        services.approve(world.county_admin, last, amount=Decimal("60000"))
    services.approve(world.county_admin, last, amount=Decimal("58000"))
    assert services.remaining_budget(call) == 0


def test_approving_a_draft_is_refused_by_state(world, project):
    with pytest.raises(TransitionRefused):
        services.approve(world.county_admin, project, amount=1)


def test_a_rejection_needs_a_reason_and_tells_the_applicant(world, project):
    services.submit(world.applicant, project)
    with pytest.raises(ValidationError):
        services.reject(world.county_admin, project, reason=" ")
    services.reject(world.county_admin, project, reason="Not a poor village")
    project.refresh_from_db()
    assert (project.status, project.reject_reason) == (ProjectStatus.REJECTED, "Not a poor village")


# --- task book and progress ----------------------------------------------------------------------------------------


def test_the_applicant_signs_after_the_county_and_the_project_starts(world, project, reviewers):
    to_approved(world, project, reviewers)
    with pytest.raises(ValidationError, match="has not written"):
        services.sign_taskbook(world.applicant, project)
    targets = {str(project.indicators.get(kind="households").pk): "150"}
    services.sign_taskbook(
        world.county_admin,
        project,
        milestones=[{"title": "Silage", "due_on": timezone.localdate()}],
        targets=targets,
        budget_scope="Feed and training",
    )
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.APPROVED
    services.sign_taskbook(world.applicant, project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    assert (project.signed_by_county, project.signed_by_applicant) == (world.county_admin, world.applicant)
    assert project.indicators.get(kind="households").target == Decimal("150")
    assert project.indicators.get(kind="poor_households").target == Decimal("40")


def test_a_task_book_needs_milestones(world, project, reviewers):
    to_approved(world, project, reviewers)
    with pytest.raises(ValidationError, match="milestone"):
        services.sign_taskbook(world.county_admin, project, milestones=[], budget_scope="x")


def test_progress_is_reported_on_a_milestone(world, project, reviewers):
    to_in_progress(world, project, reviewers)
    milestone = project.milestones.get()
    services.report_progress(world.applicant, project, milestone=milestone, report="200 t silage made")
    milestone.refresh_from_db()
    assert milestone.report == "200 t silage made"
    assert told(world.county_admin, "A project reported progress")


def test_the_final_report_needs_every_achieved_value(world, project, reviewers):
    to_in_progress(world, project, reviewers)
    first = project.indicators.first()
    with pytest.raises(ValidationError, match="achieved value"):
        services.submit_final(world.applicant, project, summary="Done", achieved={first.pk: 100})


def test_acceptance_with_conditions_needs_the_conditions(world, project, reviewers):
    to_in_progress(world, project, reviewers)
    achieved = {i.pk: i.planned for i in project.indicators.all()}
    services.submit_final(world.applicant, project, summary="Done", achieved=achieved)
    with pytest.raises(ValidationError):
        services.accept(world.county_admin, project, verdict="conditional")
    services.accept(world.county_admin, project, verdict="conditional", comment="Finish the report by June")
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.ACCEPTED


def test_a_failed_verdict_fails_the_project(world, project, reviewers):
    to_in_progress(world, project, reviewers)
    services.submit_final(
        world.applicant, project, summary="Done", achieved={i.pk: 0 for i in project.indicators.all()}
    )
    services.accept(world.county_admin, project, verdict="failed", comment="Nothing achieved")
    project.refresh_from_db()
    assert (project.status, project.verdict) == (ProjectStatus.FAILED, "failed")
    services.archive(world.county_admin, project)
    with pytest.raises(TransitionRefused, match="already archived"):
        services.archive(world.county_admin, project)


# --- random supervision ------------------------------------------------------------------------------------------


@pytest.fixture
def running(world, applicant, call, reviewers) -> list[Project]:
    """Three projects in progress in county A."""
    projects = [services.declare(applicant, call, **declaration(world, title=f"P{i}")) for i in range(3)]
    for project in projects:
        to_in_progress(world, project, reviewers)
    return projects


def test_the_draw_is_the_seeded_sample_over_the_ordered_pools(world, running, reviewers):
    inspection = services.draw_inspection(
        world.county_admin,
        area=world.county_a,
        title="2020 双随机",
        year=2020,
        project_count=2,
        inspector_count=2,
        seed=20201,
    )
    rng = random.Random(20201)
    pool = sorted(p.pk for p in running)
    inspector_pool = sorted(r.pk for r in reviewers)
    assert inspection.project_pool == pool and inspection.inspector_pool == inspector_pool
    expected_projects, expected_inspectors = rng.sample(pool, 2), rng.sample(inspector_pool, 2)
    assert list(inspection.items.order_by("position").values_list("project_id", flat=True)) == expected_projects
    assert set(inspection.inspectors.values_list("pk", flat=True)) == set(expected_inspectors)
    assert services.verify(inspection).matches


def test_the_same_seed_draws_the_same_again(world, running, reviewers):
    kwargs = {"area": world.county_a, "title": "t", "year": 2020, "project_count": 2, "inspector_count": 1}
    first = services.draw_inspection(world.county_admin, seed=7, **kwargs)
    second = services.draw_inspection(world.county_admin, seed=7, **kwargs)
    assert services.verify(first).projects == services.verify(second).projects
    assert [i.project_id for i in first.items.all()] == [i.project_id for i in second.items.all()]


def test_a_tampered_result_fails_verification(world, running, reviewers):
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1, seed=3
    )
    drawn = inspection.items.get()
    drawn.project = next(p for p in running if p.pk != drawn.project_id)
    drawn.save()
    assert not services.verify(inspection).matches


def test_a_draw_larger_than_the_pool_is_refused(world, running, reviewers):
    with pytest.raises(ValidationError, match="between 1 and 3"):
        services.draw_inspection(
            world.county_admin, area=world.county_a, title="t", year=2020, project_count=4, inspector_count=1
        )


def test_another_county_cannot_draw_here(world, running):
    with pytest.raises(PermissionDenied):
        services.draw_inspection(
            world.county_admin_b, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1
        )


def test_an_inspector_records_findings_and_rectifications(world, running, reviewers):
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1, seed=5
    )
    inspector, item = inspection.inspectors.get(), inspection.items.get()
    outsider = next(r for r in reviewers if r != inspector)
    deadline = timezone.localdate() + timedelta(days=30)
    rows = [{"description": "Ledger incomplete", "deadline": deadline}]
    with pytest.raises(PermissionDenied):
        services.record_finding(outsider, item, level="minor", findings="x", rectifications=rows)
    services.record_finding(inspector, item, level="minor", findings="Feed ledger missing", rectifications=rows)
    rectification = Rectification.objects.get(item=item)
    assert rectification.project == item.project
    assert told(item.project.applicant, "Inspection findings were recorded")


def test_rectification_evidence_then_closure(world, running):
    project = running[0]
    rectification = services.create_rectification(
        world.county_admin, project, description="Post the subsidy list", deadline=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        services.submit_evidence(world.county_admin, rectification, evidence="x")
    services.submit_evidence(world.applicant, rectification, evidence="Posted on the village board")
    with pytest.raises(ValidationError):
        services.close_rectification(world.county_admin, rectification, accepted=False)
    services.close_rectification(world.county_admin, rectification, accepted=False, note="Photo please")
    assert Rectification.objects.get(pk=rectification.pk).status == RectificationStatus.OPEN
    services.submit_evidence(world.applicant, rectification, evidence="Photo attached")
    services.close_rectification(world.county_admin, rectification)
    assert Rectification.objects.get(pk=rectification.pk).status == RectificationStatus.CLOSED


def test_open_rectifications_stop_the_final_report(world, running):
    project = running[0]
    services.create_rectification(world.county_admin, project, description="x", deadline=timezone.localdate())
    with pytest.raises(ValidationError, match="Close every rectification"):
        services.submit_final(world.applicant, project, summary="s", achieved={})


def test_overdue_rectifications_escalate_once(world, running):
    project = running[0]
    services.create_rectification(
        world.county_admin, project, description="x", deadline=timezone.localdate() - timedelta(days=1)
    )
    services.create_rectification(world.county_admin, project, description="y", deadline=timezone.localdate())
    assert services.escalate_overdue_rectifications() == 1
    assert services.escalate_overdue_rectifications() == 0
    assert told(world.county_admin, "A rectification is overdue") == 1


def test_the_sweep_command_escalates(world, running, capsys):
    services.create_rectification(
        world.county_admin, running[0], description="x", deadline=timezone.localdate() - timedelta(days=3)
    )
    call_command("rectification_sweep")
    assert "escalated: 1" in capsys.readouterr().out


def test_publishing_waits_for_every_finding(world, running):
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1, seed=5
    )
    with pytest.raises(ValidationError):
        services.publish_inspection(world.county_admin, inspection)
    services.record_finding(world.county_admin, inspection.items.get(), level="good", findings="Fine")
    services.publish_inspection(world.county_admin, inspection)
    assert inspection.published_at is not None


def test_each_side_signs_the_task_book_once(world, project, reviewers):
    to_in_progress(world, project, reviewers)
    with pytest.raises(TransitionRefused):
        services.sign_taskbook(world.applicant, project)
    project.status = ProjectStatus.APPROVED
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.APPROVED)
    with pytest.raises(ValidationError, match="already signed"):
        services.sign_taskbook(world.county_admin, project, milestones=[{"title": "x", "due_on": "2020-01-01"}])
    with pytest.raises(ValidationError, match="You have already signed"):
        services.sign_taskbook(world.applicant, project)
