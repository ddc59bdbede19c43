"""Every step of a project's life, one function each: publish a call, declare (and edit the draft), submit, check,
assign reviewers, score, approve (allocating the money in the funds ledger) or reject, sign the task book, report
progress, submit the final report, accept; random supervision draws, findings and rectifications; the overdue sweep.

Each transition goes through `Project.workflow` / `Rectification.workflow` (role, jurisdiction and state are checked
and the row moves by a conditional UPDATE), is audited in the same transaction, and tells the people concerned through
`sciaid.core.notifications.notify`. Refusals are `ValidationError` (bad data, 400), `PermissionDenied` (not your
role or not your record, 403) or `TransitionRefused` (wrong state, 409), each with a message that says why.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from sciaid.accounts.models import User
from sciaid.assistance.services import people
from sciaid.core.context import acting_as
from sciaid.core.notifications import Text, notify
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, is_unrestricted, may, user_grants
from sciaid.core.services import service
from sciaid.core.states import StateMachine, TransitionRefused
from sciaid.funds import services as funds
from sciaid.funds.choices import RecipientKind
from sciaid.projects.choices import (
    FUNDED,
    OPEN_RECTIFICATIONS,
    ProjectStatus,
    RectificationStatus,
    ReviewStatus,
    Verdict,
)
from sciaid.projects.models import (
    APPLICANTS,
    MANAGERS,
    Attachment,
    BudgetLine,
    Call,
    Criterion,
    Indicator,
    Inspection,
    InspectionItem,
    Milestone,
    Project,
    Rectification,
    Review,
    TeamMember,
)
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

CENT = Decimal("0.01")
#: The rubric a call gets when its publisher names none (weights sum to 100).
DEFAULT_RUBRIC = (
    (gettext_noop("Technical soundness and innovation"), 30),
    (gettext_noop("Poverty-alleviation effect"), 30),
    (gettext_noop("Team, partner and capacity"), 20),
    (gettext_noop("Budget reasonableness"), 20),
)
#: From this many scored reviews on, the highest and the lowest total are dropped before averaging.
DROP_EXTREMES_FROM = 5
ATTACHMENT_TYPES = frozenset({"pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"})
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# --- helpers ------------------------------------------------------------------------------------------------------


def project_url(project: Project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


def managers_of(project: Project):
    """The county admins who run this project's county."""
    return people(Role.COUNTY_ADMIN, [project.county.code])


def tell(recipients, project: Project, kind: str, title: Text, url: str = "") -> None:
    """Notify the recipients about this project, each in their own language (pass `title` as gettext_lazy, never
    eagerly translated: the acting user's language is not the recipients')."""
    notify(recipients, title=title, body=project.title, url=url or project_url(project), kind=f"project.{kind}")


def require_role(user, workflow: StateMachine, transition: str) -> None:
    """A wrong role is refused before anything else (403), whatever state the record is in (which would be 409)."""
    roles = workflow.transitions[transition].roles
    if not (is_unrestricted(user) or granted_roles(user) & roles):
        raise PermissionDenied(_("Your role may not do this."))


def require_state(project: Project, transition: str) -> None:
    """Refuse (409) a step the project's state does not allow before looking at the data (which would be 400)."""
    if project.status not in Project.workflow.transitions[transition].sources:
        raise TransitionRefused(
            _("This cannot be done now: the project is “%(state)s”.") % {"state": project.get_status_display()}
        )


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def to_amount(value, field: str) -> Decimal:
    """Yuan with at most two decimals, never negative."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give the amount in yuan, e.g. 1200.50.")}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e12"):
        raise ValidationError({field: _("Give the amount in yuan with at most two decimal places.")})
    return amount.quantize(CENT)


def touch(user) -> dict:
    """What an action that keeps the state still writes (a conditional UPDATE runs no save())."""
    return {"updated_at": timezone.now(), "updated_by_id": getattr(user, "pk", None)}


def is_applicant_of(user, project: Project) -> bool:
    return project.applicant_id == getattr(user, "pk", None)


def require_own(user, project: Project) -> None:
    """Steps that only the declaring organisation's own login takes."""
    if not is_applicant_of(user, project):
        raise PermissionDenied(_("Only the applicant who declared this project may do this."))


# --- calls --------------------------------------------------------------------------------------------------------


@service
def create_call(
    user,
    *,
    area: Area,
    title: str,
    year: int,
    kind: str,
    budget_cap,
    per_project_cap,
    deadline: date,
    required_attachments: Sequence[str] = (),
    eligible_areas: Iterable[Area] = (),
    description: str = "",
    criteria: Sequence[tuple[str, int]] | None = None,
    budget=None,
) -> Call:
    """A county (or the city or province) publishes a call; without criteria it gets the default rubric."""
    if area.level > AreaLevel.COUNTY:
        raise ValidationError({"area": _("A call is published by a county or an area above it.")})
    if not area_allows(user, area, MANAGERS):
        raise PermissionDenied(_("This area is outside your jurisdiction."))
    cap, per_project = to_amount(budget_cap, "budget_cap"), to_amount(per_project_cap, "per_project_cap")
    if cap <= 0 or per_project <= 0:
        raise ValidationError({"budget_cap": _("The budgets must be more than zero.")})
    if per_project > cap:
        raise ValidationError({"per_project_cap": _("The cap per project cannot exceed the call's total budget.")})
    eligible = list(eligible_areas)
    outside = [a.name for a in eligible if not area.covers(a) and a.pk != area.pk]
    if outside:
        raise ValidationError(
            {"eligible_areas": _("Not in the call's area: %(names)s.") % {"names": ", ".join(outside)}}
        )
    if budget is not None and not (budget.area_id == area.pk or budget.area.covers(area)):
        raise ValidationError({"budget": _("The budget must belong to the call's area.")})
    call = Call(
        area=area,
        title=require_text(title, "title", _("Give the call a title.")),
        year=year,
        kind=kind,
        budget_cap=cap,
        per_project_cap=per_project,
        deadline=deadline,
        required_attachments=[name.strip() for name in required_attachments if name and name.strip()],
        description=description,
        budget=budget,
    )
    call.full_clean(exclude=["area", "budget"])
    call.save()
    call.eligible_areas.set(eligible)
    rubric = criteria or [(_(name), weight) for name, weight in DEFAULT_RUBRIC]
    if any(int(weight) < 1 for _name, weight in rubric):
        raise ValidationError({"criteria": _("Every criterion needs a weight of at least 1.")})
    Criterion.objects.bulk_create(
        [Criterion(call=call, name=name, weight=int(weight), position=i) for i, (name, weight) in enumerate(rubric)]
    )
    return call


def remaining_budget(call: Call, excluding: Project | None = None) -> Decimal:
    """The call's budget not yet approved to its projects."""
    approved = call.projects.filter(status__in=FUNDED)
    if excluding is not None:
        approved = approved.exclude(pk=excluding.pk)
    return call.budget_cap - (approved.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0"))


# --- declaring ----------------------------------------------------------------------------------------------------


def declaring_county(user, call: Call) -> Area:
    """The county a declaration belongs to: the call's own county, or the applicant's county under a wider call."""
    if call.area.level == AreaLevel.COUNTY and (is_unrestricted(user) or area_allows(user, call.area, APPLICANTS)):
        return call.area
    for grant in user_grants(user):
        if grant.role in APPLICANTS and call.area.covers(grant.area) and grant.area.level >= AreaLevel.COUNTY:
            return Area.objects.get(code=grant.area.code[:6].ljust(12, "0"))
    raise PermissionDenied(_("This call is not open to applicants of your area."))


def check_villages(call: Call, county: Area, villages: Iterable[Area]) -> list[Area]:
    villages = list(villages)
    eligible = list(call.eligible_areas.all())
    for village in villages:
        if village.level != AreaLevel.VILLAGE or not county.covers(village):
            raise ValidationError({"villages": _("%(name)s is not a village of the county.") % {"name": village.name}})
        if eligible and not any(area.pk == village.pk or area.covers(village) for area in eligible):
            raise ValidationError({"villages": _("%(name)s is not eligible for this call.") % {"name": village.name}})
    return villages


def replace_children(project: Project, indicators=None, budget_lines=None, team=None) -> None:
    """Replace the draft's indicator, budget and team rows with the given ones (lists of dicts)."""
    if indicators is not None:
        project.indicators.all().delete()
        Indicator.objects.bulk_create(
            [
                Indicator(
                    project=project,
                    kind=row["kind"],
                    name=row.get("name", ""),
                    unit=row.get("unit", ""),
                    planned=to_amount(row["planned"], "indicators"),
                )
                for row in indicators
            ]
        )
    if budget_lines is not None:
        project.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    project=project,
                    category=row["category"],
                    description=row.get("description", ""),
                    amount=to_amount(row["amount"], "budget_lines"),
                )
                for row in budget_lines
            ]
        )
    if team is not None:
        project.team.all().delete()
        TeamMember.objects.bulk_create(
            [
                TeamMember(
                    project=project,
                    name=require_text(row["name"], "team", _("Every team member needs a name.")),
                    organisation=row.get("organisation", ""),
                    duty=row.get("duty", ""),
                    user=row.get("user"),
                )
                for row in team
            ]
        )


@service
def declare(
    user,
    call: Call,
    *,
    title: str,
    industry: str,
    requested_amount,
    organisation: str = "",
    partner: str = "",
    summary: str = "",
    villages: Iterable[Area] = (),
    indicators: Sequence[Mapping] | None = None,
    budget_lines: Sequence[Mapping] | None = None,
    team: Sequence[Mapping] | None = None,
) -> Project:
    """An applicant organisation starts a declaration: a draft it may edit until it submits it."""
    if not (is_unrestricted(user) or granted_roles(user) & APPLICANTS):
        raise PermissionDenied(_("Only applicant organisations declare projects."))
    if timezone.localdate() > call.deadline:
        raise ValidationError({"call": _("The call closed on %(day)s.") % {"day": call.deadline.isoformat()}})
    county = declaring_county(user, call)
    project = Project(
        call=call,
        county=county,
        applicant=user,
        organisation=require_text(
            organisation or user.organisation, "organisation", _("Name the applicant organisation.")
        ),
        title=require_text(title, "title", _("Give the project a title.")),
        industry=require_text(industry, "industry", _("Name the industry.")),
        partner=partner.strip(),
        summary=summary,
        requested_amount=to_amount(requested_amount, "requested_amount"),
    )
    project.full_clean(exclude=["call", "county", "applicant"])
    project.save()
    project.villages.set(check_villages(call, county, villages))
    replace_children(project, indicators, budget_lines, team)
    return project


#: What an applicant may change in a draft.
DRAFT_FIELDS = frozenset({"title", "industry", "organisation", "partner", "summary", "requested_amount"})


@service
def update_draft(user, project: Project, *, villages=None, indicators=None, budget_lines=None, team=None, **fields):
    """The applicant edits the draft (or a declaration returned for changes); nothing else may change it."""
    require_own(user, project)
    if project.status != ProjectStatus.DRAFT:
        raise TransitionRefused(
            _("Only a draft can be edited; this declaration is “%(state)s”.") % {"state": project.get_status_display()}
        )
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise ValidationError(
            {"non_field_errors": _("These fields cannot be edited: %(f)s.") % {"f": ", ".join(unknown)}}
        )
    for name, value in fields.items():
        if name == "requested_amount":
            value = to_amount(value, name)
        elif name in ("title", "industry", "organisation"):
            value = require_text(value, name, _("This field is required."))
        setattr(project, name, value)
    project.full_clean(exclude=["call", "county", "applicant"])
    project.save()
    if villages is not None:
        project.villages.set(check_villages(project.call, project.county, villages))
    replace_children(project, indicators, budget_lines, team)
    return project


def clean_upload(upload, field: str = "file") -> None:
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError({field: _("Attach a PDF, image, Word or Excel file.")})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({field: _("The file is larger than 20 MB.")})


@service
def attach(user, project: Project, *, name: str, file) -> Attachment:
    """The applicant attaches a document to the draft (checked for type and size; the stored name is ours)."""
    require_own(user, project)
    if project.status not in (ProjectStatus.DRAFT, ProjectStatus.IN_PROGRESS):
        raise TransitionRefused(_("Documents are attached to a draft or to a project in progress."))
    clean_upload(file)
    attachment = Attachment(project=project, name=require_text(name, "name", _("Name the document.")))
    attachment.file.save(file.name, file, save=False)
    attachment.save()
    return attachment


def declaration_problems(project: Project) -> list[str]:
    """What still stops a draft from being submitted (empty when it is complete)."""
    problems = []
    call = project.call
    lines = project.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if lines != project.requested_amount:
        problems.append(
            _("The budget lines sum to %(lines)s but the request is %(request)s.")
            % {"lines": lines, "request": project.requested_amount}
        )
    if project.requested_amount <= 0:
        problems.append(_("Request an amount."))
    if project.requested_amount > call.per_project_cap:
        problems.append(_("The request exceeds the call's cap of %(cap)s per project.") % {"cap": call.per_project_cap})
    if not project.indicators.exists():
        problems.append(_("Add at least one indicator."))
    if not project.villages.exists():
        problems.append(_("Name the villages the project serves."))
    attached = set(project.attachments.values_list("name", flat=True))
    missing = [name for name in call.required_attachments if name not in attached]
    if missing:
        problems.append(_("Attach: %(names)s.") % {"names": ", ".join(missing)})
    return problems


@service
def submit(user, project: Project) -> Project:
    """The applicant submits a complete draft before the call's deadline; the county is told."""
    require_role(user, Project.workflow, "submit")
    require_state(project, "submit")
    require_own(user, project)
    if timezone.localdate() > project.call.deadline:
        raise ValidationError(_("The call closed on %(day)s.") % {"day": project.call.deadline.isoformat()})
    problems = declaration_problems(project)
    if problems:
        raise ValidationError(problems)
    Project.workflow.apply(project, "submit", user, submitted_at=timezone.now(), check_comment="")
    tell(managers_of(project), project, "submitted", gettext_lazy("New project declaration to check"))
    return project


@service
def check(user, project: Project, *, passed: bool, comment: str = "") -> Project:
    """The county's formal check: pass it on to review, or return it to the applicant with comments (返回修改)."""
    require_role(user, Project.workflow, "check")
    if passed:
        Project.workflow.apply(project, "check", user, check_comment=comment.strip())
        tell([project.applicant], project, "checked", gettext_lazy("Your declaration passed the formal check"))
    else:
        comment = require_text(comment, "comment", _("Say what the applicant must change."))
        Project.workflow.apply(project, "return", user, note=comment, check_comment=comment)
        tell([project.applicant], project, "returned", gettext_lazy("Your declaration was returned for changes"))
    return project


# --- review ---------------------------------------------------------------------------------------------------------


def same_organisation(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def conflict_of(project: Project, reviewer: User, team: Sequence[TeamMember]) -> str:
    """Why this reviewer may not review this project, or "" when they may."""
    if reviewer.pk == project.applicant_id:
        return _("the applicant")
    if same_organisation(reviewer.organisation, project.organisation):
        return _("same organisation as the applicant")
    for member in team:
        if member.user_id == reviewer.pk or (reviewer.full_name and member.name.strip() == reviewer.full_name.strip()):
            return _("listed in the project team")
    return ""


@dataclass(frozen=True)
class ReviewerPool:
    """The reviewers of the project's county (and the areas above it), split into eligible and conflicted."""

    eligible: list[User]
    conflicted: list[tuple[User, str]]


def reviewer_pool(project: Project) -> ReviewerPool:
    """Users with the reviewer role on the project's county or an area above it, in a fixed order (by id)."""
    codes = [*project.county.ancestor_codes(), project.county.code]
    candidates = people(Role.REVIEWER, codes).order_by("pk")
    team = list(project.team.all())
    eligible, conflicted = [], []
    for reviewer in candidates:
        reason = conflict_of(project, reviewer, team)
        if reason:
            conflicted.append((reviewer, reason))
        else:
            eligible.append(reviewer)
    return ReviewerPool(eligible, conflicted)


@service
def assign_reviewers(
    user, project: Project, reviewers: Sequence[User] = (), *, count: int | None = None, seed: int | None = None
) -> list[Review]:
    """The county assigns reviewers: the ones it names, or `count` drawn at random (with `seed`) from the eligible
    pool. Anyone outside the pool or with a conflict of interest is refused by name."""
    require_role(user, Project.workflow, "assign_reviewers")
    if not may(user, project, CHANGE):
        raise TransitionRefused(_("This record is outside your jurisdiction."))
    pool = reviewer_pool(project)
    already = set(project.reviews.values_list("reviewer_id", flat=True))
    if reviewers:
        conflicts = {reviewer.pk: reason for reviewer, reason in pool.conflicted}
        eligible = {reviewer.pk for reviewer in pool.eligible}
        for reviewer in reviewers:
            if reviewer.pk in conflicts:
                raise ValidationError(
                    {
                        "reviewers": _("%(name)s has a conflict of interest: %(reason)s.")
                        % {"name": reviewer, "reason": conflicts[reviewer.pk]}
                    }
                )
            if reviewer.pk not in eligible:
                raise ValidationError(
                    {"reviewers": _("User %(id)s is not in the county's reviewer pool.") % {"id": reviewer.pk}}
                )
        chosen = list(reviewers)
    elif count:
        candidates = [reviewer for reviewer in pool.eligible if reviewer.pk not in already]
        if count > len(candidates):
            raise ValidationError(
                {"count": _("Only %(n)d eligible reviewers are left in the pool.") % {"n": len(candidates)}}
            )
        chosen = random.Random(secrets.randbits(32) if seed is None else seed).sample(candidates, count)
    else:
        raise ValidationError({"reviewers": _("Choose reviewers or how many to draw.")})
    new = [reviewer for reviewer in chosen if reviewer.pk not in already]
    Project.workflow.apply(project, "assign_reviewers", user, note=", ".join(str(r.pk) for r in new), **touch(user))
    reviews = Review.objects.bulk_create([Review(project=project, reviewer=reviewer) for reviewer in new])
    for review in reviews:
        tell(
            [review.reviewer],
            project,
            "review",
            gettext_lazy("A declaration awaits your review"),
            review.get_absolute_url(),
        )
    return reviews


def weighted_total(criteria: Sequence[Criterion], scores: Mapping[str, Decimal]) -> Decimal:
    weights = sum(c.weight for c in criteria)
    total = sum(Decimal(c.weight) * Decimal(scores[str(c.pk)]) for c in criteria) / Decimal(weights)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(totals: Sequence[Decimal]) -> Decimal | None:
    """The project's score: the mean of its reviewers' totals, after dropping the highest and the lowest one when
    there are at least DROP_EXTREMES_FROM of them (so one outlier cannot carry or sink a declaration)."""
    values = sorted(totals)
    if not values:
        return None
    if len(values) >= DROP_EXTREMES_FROM:
        values = values[1:-1]
    return (sum(values, Decimal("0")) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@service
def score(user, review: Review, *, scores: Mapping, comments: str = "") -> Review:
    """The assigned reviewer scores each criterion 0–100 and comments; they may revise until the county decides."""
    if review.reviewer_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer scores this declaration."))
    project = review.project
    if project.status != ProjectStatus.UNDER_REVIEW:
        raise TransitionRefused(_("The declaration is no longer under review."))
    criteria = list(project.call.criteria.all())
    given = {str(key): value for key, value in scores.items()}
    clean = {}
    for criterion in criteria:
        value = given.get(str(criterion.pk))
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            number = Decimal("-1")
        if value is None or not number.is_finite() or not 0 <= number <= 100:
            raise ValidationError({"scores": _("Score “%(name)s” from 0 to 100.") % {"name": criterion.name}})
        clean[str(criterion.pk)] = number
    before = review.status
    review.scores = {key: str(value) for key, value in clean.items()}
    review.total = weighted_total(criteria, clean)
    review.comments = require_text(comments, "comments", _("Write your comments on the declaration."))
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.save()
    totals = list(project.reviews.filter(status=ReviewStatus.SUBMITTED).values_list("total", flat=True))
    Project.objects.filter(pk=project.pk).update(score=aggregate(totals))
    if before != ReviewStatus.SUBMITTED and not project.reviews.filter(status=ReviewStatus.ASSIGNED).exists():
        tell(managers_of(project), project, "reviewed", gettext_lazy("All reviews of a declaration are in"))
    return review


def ranking(call: Call, user=None) -> list[Project]:
    """The call's declarations under review or decided, best score first (unscored last), each with `.rank`."""
    projects = Project.objects.filter(call=call, score__isnull=False)
    if user is not None:
        projects = projects.for_user(user)
    ranked = list(projects.order_by("-score", "submitted_at", "pk"))
    for position, project in enumerate(ranked, start=1):
        project.rank = position
    return ranked


# --- decision -------------------------------------------------------------------------------------------------------


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
            {"amount": _("The amount exceeds the request of %(n)s.") % {"n": project.requested_amount}}
        )
    if amount > call.per_project_cap:
        raise ValidationError(
            {"amount": _("The amount exceeds the call's cap of %(n)s per project.") % {"n": call.per_project_cap}}
        )
    left = remaining_budget(call, excluding=project)
    if amount > left:
        raise ValidationError({"amount": _("Only %(n)s of the call's budget is left.") % {"n": left}})
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


# --- task book and progress -----------------------------------------------------------------------------------------


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


@service
def submit_final(user, project: Project, *, summary: str, achieved: Mapping) -> Project:
    """The applicant's final report: what each indicator achieved, and a summary. Open rectifications stop it."""
    require_role(user, Project.workflow, "submit_final")
    require_state(project, "submit_final")
    require_own(user, project)
    if project.rectifications.filter(status__in=OPEN_RECTIFICATIONS).exists():
        raise ValidationError(_("Close every rectification item before the final report."))
    summary = require_text(summary, "summary", _("Summarise what the project achieved."))
    values = {str(key): value for key, value in achieved.items()}
    indicators = list(project.indicators.all())
    for indicator in indicators:
        if values.get(str(indicator.pk)) in (None, ""):
            raise ValidationError({"achieved": _("Give the achieved value of “%(name)s”.") % {"name": indicator}})
        indicator.achieved = to_amount(values[str(indicator.pk)], "achieved")
    Project.workflow.apply(project, "submit_final", user, final_summary=summary, final_at=timezone.now())
    Indicator.objects.bulk_update(indicators, ["achieved"])
    tell(managers_of(project), project, "final", gettext_lazy("A project submitted its final report"))
    return project


def statement(project: Project):
    """The project's money from the funds ledger: allocated, spent, balance."""
    return funds.statement(project)


@service
def accept(user, project: Project, *, verdict: str, comment: str = "") -> Project:
    """The acceptance committee's verdict (验收): passed or passed with conditions → accepted; failed → failed.
    Anything but a clean pass needs the committee's comments."""
    require_role(user, Project.workflow, "accept")
    require_state(project, "accept")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    if verdict != Verdict.PASSED:
        comment = require_text(comment, "comment", _("Give the committee's conditions or reasons."))
    name = "fail" if verdict == Verdict.FAILED else "accept"
    Project.workflow.apply(
        project, name, user, note=comment, verdict=verdict, verdict_comment=comment, accepted_at=timezone.now()
    )
    tell([project.applicant], project, "verdict", gettext_lazy("The acceptance verdict on your project"))
    return project


@service
def archive(user, project: Project) -> Project:
    """A finished project goes to the archive: read-only history."""
    require_role(user, Project.workflow, "archive")
    if project.archived_at:
        raise TransitionRefused(_("The project is already archived."))
    Project.workflow.apply(project, "archive", user, archived_at=timezone.now())
    return project


# --- random supervision ---------------------------------------------------------------------------------------------


def draw(seed: int, project_pool: Sequence[int], inspector_pool: Sequence[int], k: int, m: int):
    """The draw itself, a pure function: the same seed and ordered pools always give the same projects and
    inspectors (Python's `random.Random` is stable across versions for `sample` on a list)."""
    rng = random.Random(seed)
    return rng.sample(list(project_pool), k), rng.sample(list(inspector_pool), m)


def inspection_pools(county: Area) -> tuple[list[int], list[int]]:
    """The projects in progress in the county and the inspectors (reviewer role on the county or above), by id."""
    projects = Project.objects.filter(county=county, status=ProjectStatus.IN_PROGRESS).order_by("pk")
    codes = [*county.ancestor_codes(), county.code]
    inspectors = people(Role.REVIEWER, codes).order_by("pk")
    return list(projects.values_list("pk", flat=True)), list(inspectors.values_list("pk", flat=True))


@service
def draw_inspection(
    user, *, area: Area, title: str, year: int, project_count: int, inspector_count: int, seed: int | None = None
) -> Inspection:
    """The county draws k projects and m inspectors (双随机) with a recorded seed; the pools are recorded too."""
    if area.level != AreaLevel.COUNTY:
        raise ValidationError({"area": _("Inspections are drawn in a county.")})
    if not area_allows(user, area, MANAGERS):
        raise PermissionDenied(_("This county is outside your jurisdiction."))
    project_pool, inspector_pool = inspection_pools(area)
    if not 1 <= project_count <= len(project_pool):
        raise ValidationError(
            {"project_count": _("Draw between 1 and %(n)d projects in progress.") % {"n": len(project_pool)}}
        )
    if not 1 <= inspector_count <= len(inspector_pool):
        raise ValidationError(
            {"inspector_count": _("Draw between 1 and %(n)d inspectors.") % {"n": len(inspector_pool)}}
        )
    seed = secrets.randbits(31) if seed is None else seed
    projects, inspectors = draw(seed, project_pool, inspector_pool, project_count, inspector_count)
    inspection = Inspection(
        area=area,
        title=require_text(title, "title", _("Give the inspection a title.")),
        year=year,
        seed=seed,
        project_count=project_count,
        inspector_count=inspector_count,
        project_pool=project_pool,
        inspector_pool=inspector_pool,
    )
    inspection.full_clean(exclude=["area"])
    inspection.save()
    inspection.inspectors.set(inspectors)
    InspectionItem.objects.bulk_create(
        [InspectionItem(inspection=inspection, project_id=pk, position=i) for i, pk in enumerate(projects, start=1)]
    )
    url = inspection.get_absolute_url()
    notify(
        User.objects.filter(pk__in=inspectors),
        title=gettext_lazy("You were drawn as an inspector"),
        body=title,
        url=url,
        kind="project.inspection",
    )
    for project in Project.objects.filter(pk__in=projects).select_related("applicant"):
        tell([project.applicant], project, "inspection", gettext_lazy("Your project was drawn for inspection"))
    return inspection


@dataclass(frozen=True)
class Verification:
    """A re-run of a draw: what the seed gives over the recorded pools, and whether it matches what was recorded."""

    projects: list[int]
    inspectors: list[int]
    recorded_projects: list[int]
    recorded_inspectors: list[int]

    @property
    def matches(self) -> bool:
        return self.projects == self.recorded_projects and sorted(self.inspectors) == sorted(self.recorded_inspectors)


def verify(inspection: Inspection) -> Verification:
    """Anyone may re-run the draw from the recorded seed and pools and compare it with the recorded result."""
    projects, inspectors = draw(
        inspection.seed,
        inspection.project_pool,
        inspection.inspector_pool,
        inspection.project_count,
        inspection.inspector_count,
    )
    recorded = list(inspection.items.order_by("position").values_list("project_id", flat=True))
    return Verification(projects, inspectors, recorded, list(inspection.inspectors.values_list("pk", flat=True)))


@service
def record_finding(
    user, item: InspectionItem, *, level: str, findings: str, rectifications: Sequence[Mapping] = ()
) -> InspectionItem:
    """A drawn inspector (or the county) records what was found on one project, with the items to rectify."""
    inspection = item.inspection
    is_inspector = inspection.inspectors.filter(pk=getattr(user, "pk", None)).exists()
    if not (is_inspector or is_unrestricted(user) or area_allows(user, inspection.area, MANAGERS)):
        raise PermissionDenied(_("Only the drawn inspectors record findings."))
    project = item.project
    if project.status != ProjectStatus.IN_PROGRESS:
        raise TransitionRefused(_("Findings are recorded on projects in progress."))
    item.level = level
    item.findings = require_text(findings, "findings", _("Describe what you found."))
    item.recorded_at = timezone.now()
    item.full_clean(exclude=["inspection", "project"])
    item.save()
    for row in rectifications:
        add_rectification(project, description=row.get("description", ""), deadline=row.get("deadline"), item=item)
    tell(
        [project.applicant, *managers_of(project)],
        project,
        "finding",
        gettext_lazy("Inspection findings were recorded"),
    )
    return item


def add_rectification(project: Project, *, description: str, deadline, item: InspectionItem | None = None):
    if project.status != ProjectStatus.IN_PROGRESS:
        raise TransitionRefused(_("Rectifications attach to projects in progress."))
    if not deadline:
        raise ValidationError({"deadline": _("Give the rectification a deadline.")})
    return Rectification.objects.create(
        project=project,
        item=item,
        description=require_text(description, "description", _("Say what must be rectified.")),
        deadline=deadline,
    )


@service
def create_rectification(user, project: Project, *, description: str, deadline: date) -> Rectification:
    """The county orders a rectification on a project in progress (beyond those that inspections raise)."""
    if not (is_unrestricted(user) or granted_roles(user) & MANAGERS) or not may(user, project, CHANGE):
        raise PermissionDenied(_("Only the county orders rectifications."))
    rectification = add_rectification(project, description=description, deadline=deadline)
    tell(
        [project.applicant],
        project,
        "rectification",
        gettext_lazy("A rectification was ordered"),
        rectification.get_absolute_url(),
    )
    return rectification


@service
def publish_inspection(user, inspection: Inspection) -> Inspection:
    """The county publishes the results (一公开) once every drawn project's findings are recorded."""
    if not area_allows(user, inspection.area, MANAGERS):
        raise PermissionDenied(_("Only the county publishes inspection results."))
    if inspection.published_at:
        raise TransitionRefused(_("The results are already published."))
    if inspection.items.filter(recorded_at__isnull=True).exists():
        raise ValidationError(_("Record the findings of every drawn project first."))
    inspection.published_at = timezone.now()
    inspection.save()
    return inspection


@service
def submit_evidence(user, rectification: Rectification, *, evidence: str, evidence_file=None) -> Rectification:
    """The applicant shows what was put right."""
    require_role(user, Rectification.workflow, "submit_evidence")
    require_own(user, rectification.project)
    evidence = require_text(evidence, "evidence", _("Describe what was rectified."))
    if evidence_file:
        clean_upload(evidence_file, "evidence_file")
        rectification.evidence_file.save(evidence_file.name, evidence_file, save=False)
        Rectification.objects.filter(pk=rectification.pk).update(evidence_file=rectification.evidence_file.name)
    Rectification.workflow.apply(rectification, "submit_evidence", user, evidence=evidence, submitted_at=timezone.now())
    tell(
        managers_of(rectification.project),
        rectification.project,
        "evidence",
        gettext_lazy("Rectification evidence to check"),
        rectification.get_absolute_url(),
    )
    return rectification


@service
def close_rectification(user, rectification: Rectification, *, accepted: bool = True, note: str = "") -> Rectification:
    """The county closes a rectification whose evidence convinces, or returns it as not yet rectified."""
    name = "close" if accepted else "reopen"
    require_role(user, Rectification.workflow, name)
    if not accepted:
        note = require_text(note, "note", _("Say what is still missing."))
    changes = {"closing_note": note, "closed_at": timezone.now() if accepted else None}
    Rectification.workflow.apply(rectification, name, user, note=note, **changes)
    project = rectification.project
    title = gettext_lazy("A rectification was closed") if accepted else gettext_lazy("A rectification was returned")
    tell([project.applicant], project, "rectification", title, rectification.get_absolute_url())
    return rectification


def escalate_overdue_rectifications(today: date | None = None) -> int:
    """Escalate open rectifications past their deadline to the county admins, once each (a conditional UPDATE, so
    two sweeps at once tell them once). Returns how many were escalated."""
    today = today or timezone.localdate()
    overdue = Rectification.objects.filter(
        status=RectificationStatus.OPEN, deadline__lt=today, escalated_at__isnull=True
    ).select_related("project", "project__county")
    escalated = 0
    with acting_as(None):
        for rectification in overdue.iterator(chunk_size=500):
            if not Rectification.objects.filter(pk=rectification.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue
            escalated += 1
            project = rectification.project
            tell(
                [*managers_of(project), project.applicant],
                project,
                "overdue",
                gettext_lazy("A rectification is overdue"),
                rectification.get_absolute_url(),
            )
    return escalated
