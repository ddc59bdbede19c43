"""The county's decision (立项, allocating the money in the funds ledger) or rejection, the task book (任务书)
both sides sign, and progress against its milestones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.services import service
from sciaid.funds import services as funds
from sciaid.funds.choices import RecipientKind
from sciaid.funds.money import yuan
from sciaid.projects.choices import ReviewStatus
from sciaid.projects.models import MANAGERS, Call, Milestone, Project
from sciaid.projects.services.calls import remaining_budget
from sciaid.projects.services.common import (
    is_applicant_of,
    managers_of,
    require_own,
    require_role,
    require_state,
    require_text,
    tell,
    to_amount,
    touch,
)


@service
def approve(user, project: Project, *, amount, comment: str = "") -> Project:
    """The county approves (立项) an amount no more than the request, the call's cap per project and what is left of
    the call's budget, after every assigned reviewer has scored; the money is allocated in the funds ledger."""
    require_role(user, Project.workflow, "approve")
    require_state(project, "approve")
    amount = to_amount(amount, "amount")
    # Locked, so two approvals at once cannot both take the call's last money.
    call = Call.objects.select_for_update().get(pk=project.call_id)
    reviews = project.reviews.values_list("status", flat=True)
    if not reviews or ReviewStatus.ASSIGNED in reviews:
        raise ValidationError(_("Every assigned reviewer must score the declaration first."))
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if amount > project.requested_amount:
        raise ValidationError(
            {"amount": _("The amount exceeds the request of %(n)s.") % {"n": yuan(project.requested_amount)}}
        )
    if amount > call.per_project_cap:
        raise ValidationError(
            {"amount": _("The amount exceeds the call's cap of %(n)s per project.") % {"n": yuan(call.per_project_cap)}}
        )
    left = remaining_budget(call, excluding=project)
    if amount > left:
        raise ValidationError({"amount": _("Only %(n)s of the call's budget is left.") % {"n": yuan(left)}})
    Project.workflow.apply(project, "approve", user, note=comment, approved_amount=amount, decided_at=timezone.now())
    if call.budget_id:
        funds.allocate(
            user,
            call.budget,
            recipient_kind=RecipientKind.PROJECT,
            amount=amount,
            purpose=project.title[:200],
            allocated_on=timezone.localdate(),
            recipient=project,
            recipient_name=project.organisation,
            key=f"project-{project.pk}-approval",
        )
    tell([project.applicant], project, "approved", gettext_lazy("Your project was approved"))
    return project


@service
def reject(user, project: Project, *, reason: str) -> Project:
    """The county rejects a declaration, saying why."""
    require_role(user, Project.workflow, "reject")
    reason = require_text(reason, "reason", _("Say why the declaration is rejected."))
    Project.workflow.apply(project, "reject", user, note=reason, reject_reason=reason, decided_at=timezone.now())
    tell([project.applicant], project, "rejected", gettext_lazy("Your declaration was rejected"))
    return project


@service
def sign_taskbook(
    user,
    project: Project,
    *,
    milestones: Sequence[Mapping] | None = None,
    targets: Mapping | None = None,
    budget_scope: str = "",
) -> Project:
    """Both sides sign the task book (任务书). The county writes it (milestones, indicator targets, budget scope) and
    signs first; the applicant's signature then starts the project."""
    require_role(user, Project.workflow, "sign_taskbook")
    Project.workflow.apply(project, "sign_taskbook", user, **touch(user))
    now = timezone.now()
    rows = Project.objects.filter(pk=project.pk)
    if is_applicant_of(user, project):
        # Conditional UPDATEs: of two signatures at once, one is recorded and the other refused.
        signed = rows.filter(signed_by_county__isnull=False, signed_by_applicant__isnull=True).update(
            signed_by_applicant=user, applicant_signed_at=now
        )
        if not signed:
            if rows.filter(signed_by_county__isnull=True).exists():
                raise ValidationError(_("The county has not written and signed the task book yet."))
            raise ValidationError(_("You have already signed the task book."))
        project.signed_by_applicant, project.applicant_signed_at = user, now
        Project.workflow.apply(project, "start", user, started_at=now)
        tell(managers_of(project), project, "started", gettext_lazy("The task book is signed: the project has started"))
        return project
    if not (is_unrestricted(user) or granted_roles(user) & MANAGERS):
        raise PermissionDenied(_("Only the applicant and the county sign the task book."))
    if not rows.filter(signed_by_county__isnull=True).update(signed_by_county=user, county_signed_at=now):
        raise ValidationError(_("The county has already signed the task book."))
    project.signed_by_county, project.county_signed_at = user, now
    write_taskbook(project, milestones or [], targets or {}, budget_scope)
    tell([project.applicant], project, "taskbook", gettext_lazy("The task book is ready for your signature"))
    return project


def write_taskbook(project: Project, milestones: Sequence[Mapping], targets: Mapping, budget_scope: str) -> None:
    if not milestones:
        raise ValidationError({"milestones": _("The task book needs at least one milestone.")})
    scope_text = require_text(budget_scope, "budget_scope", _("Describe what the money may be spent on."))
    rows = [
        Milestone(
            project=project,
            title=require_text(row.get("title", ""), "milestones", _("Every milestone needs a title.")),
            due_on=row["due_on"],
        )
        for row in milestones
    ]
    Milestone.objects.bulk_create(rows)
    for indicator in project.indicators.all():
        target = targets.get(str(indicator.pk), targets.get(indicator.pk))
        indicator.target = indicator.planned if target in (None, "") else to_amount(target, "targets")
        indicator.save(update_fields=["target", "updated_at", "updated_by"])
    Project.objects.filter(pk=project.pk).update(budget_scope=scope_text)
    project.budget_scope = scope_text


@service
def report_progress(user, project: Project, *, milestone: Milestone, report: str) -> Milestone:
    """The applicant reports progress on one milestone of the task book."""
    require_role(user, Project.workflow, "report_progress")
    require_own(user, project)
    if milestone.project_id != project.pk:
        raise ValidationError({"milestone": _("This milestone belongs to another project.")})
    Project.workflow.apply(project, "report_progress", user, note=milestone.title, **touch(user))
    milestone.report = require_text(report, "report", _("Describe the progress."))
    milestone.reported_at = timezone.now()
    milestone.save()
    tell(managers_of(project), project, "progress", gettext_lazy("A project reported progress"))
    return milestone
