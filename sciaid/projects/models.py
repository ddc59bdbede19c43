"""S&T poverty-alleviation projects (科技扶贫项目): calls, declarations with their indicators, budget lines, team and
attachments, expert reviews on a weighted rubric, task books, random supervision (双随机一公开) and rectifications.

A project stores the county of its call when it is declared: jurisdiction follows that county, never the applicant.
Applicants reach their own declarations through `owner_path`; reviewers and inspectors (one role, 评审专家 / 检查人员)
see only the projects assigned to them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.demonstration.models import DemoSite
from sciaid.funds.models import Budget
from sciaid.projects.choices import (
    DECIDING,
    BudgetCategory,
    CallKind,
    FindingLevel,
    IndicatorKind,
    ProjectStatus,
    RectificationStatus,
    ReviewStatus,
    Verdict,
)
from sciaid.regions.models import Area

#: Who runs a county's projects.
MANAGERS = frozenset({Role.COUNTY_ADMIN, Role.PLATFORM_ADMIN})
APPLICANTS = frozenset({Role.APPLICANT})
REVIEWERS = frozenset({Role.REVIEWER})
WATCHERS = MANAGERS | {Role.SUPERVISOR}
#: Both sides of a task book.
SIGNERS = MANAGERS | APPLICANTS
#: Everyone with some project work: the project lists open for them (others have nothing there).
PROJECT_ROLES = WATCHERS | APPLICANTS | REVIEWERS


def money(label):
    return models.DecimalField(label, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])


def assigned_projects(user, grant) -> Q:
    """A reviewer / inspector sees the projects they review or inspect, nothing else of the county."""
    return Q(Exists(Review.objects.filter(project=OuterRef("pk"), reviewer_id=user.pk))) | Q(
        Exists(InspectionItem.objects.filter(project=OuterRef("pk"), inspection__inspectors=user.pk))
    )


def inspecting(user, field: str) -> Q:
    """The inspections (at `field`) this user was drawn for, as an EXISTS so no row is repeated."""
    drawn = Inspection.inspectors.through.objects.filter(inspection_id=OuterRef(field), user_id=user.pk)
    return Q(Exists(drawn))


def project_scope(path: str = "") -> Scope:
    """The project's scope, or that of a record hanging off a project at `path` (indicators, reviews, items)."""
    prefix = f"{path}__" if path else ""

    def narrowed(user, grant) -> Q:
        clause = assigned_projects(user, grant)
        return Q(**{f"{path}__in": Project.objects.filter(clause).values("pk")}) if path else clause

    return Scope(
        code_path=f"{prefix}county__code",
        view=WATCHERS | REVIEWERS,
        change=MANAGERS,
        narrowed={Role.REVIEWER: narrowed},
        owner_path=f"{prefix}applicant",
    )


class Call(BaseModel):
    """A call for declarations (申报通知) published by a county (or the city or province above it)."""

    area = models.ForeignKey(Area, verbose_name=_("published by (area)"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("type"), max_length=24, choices=CallKind.choices, default=CallKind.DEMONSTRATION)
    budget_cap = money(_("total budget"))
    per_project_cap = money(_("at most per project"))
    deadline = models.DateField(_("declaration deadline"))
    #: Names of the documents every declaration must attach ("business licence", "partner agreement" …).
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    eligible_areas = models.ManyToManyField(
        Area, verbose_name=_("eligible areas"), blank=True, related_name="+", help_text=_("Empty: the whole area.")
    )
    description = models.TextField(_("description"), blank=True)
    #: The ledger budget approvals allocate from; without one, approvals record amounts but move no money.
    budget = models.ForeignKey(
        Budget,
        verbose_name=_("funded from budget"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope = Scope(
        code_path="area__code",
        view=WATCHERS | APPLICANTS | REVIEWERS,
        change=MANAGERS,
        with_ancestors=True,
    )

    class Meta:
        ordering = ["-year", "-deadline", "-id"]
        verbose_name = pgettext_lazy("project call", "call")
        verbose_name_plural = pgettext_lazy("project call", "calls")
        indexes = [models.Index(fields=["area", "year"], name="projects_call_area_year_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:call-detail", args=[self.pk])


class Criterion(BaseModel):
    """One criterion of a call's review rubric, scored 0–100 and weighted."""

    call = models.ForeignKey(
        Call, verbose_name=pgettext_lazy("project call", "call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope = Scope(code_path="call__area__code", view=Call.scope.view, change=MANAGERS, with_ancestors=True)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Project(BaseModel):
    """A declaration (申报) and, once approved, the project it becomes: task book, progress, final report, verdict."""

    call = models.ForeignKey(
        Call, verbose_name=pgettext_lazy("project call", "call"), on_delete=models.PROTECT, related_name="projects"
    )
    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="projects"
    )
    organisation = models.CharField(_("applicant organisation"), max_length=128)
    title = models.CharField(_("title"), max_length=200)
    industry = models.CharField(_("industry"), max_length=64)
    villages = models.ManyToManyField(Area, verbose_name=_("villages"), blank=True, related_name="+")
    #: The demonstration sites where the project shows its varieties and techniques: their pages list it.
    demo_sites = models.ManyToManyField(DemoSite, verbose_name=_("demonstration sites"), blank=True, related_name="+")
    partner = models.CharField(_("partner institution"), max_length=128, blank=True)
    summary = models.TextField(pgettext_lazy("project", "summary"), blank=True)
    requested_amount = money(_("requested amount"))
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    check_comment = models.TextField(_("formal check comments"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    score = models.DecimalField(_("review score"), max_digits=6, decimal_places=2, null=True, blank=True)
    approved_amount = models.DecimalField(_("approved amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    budget_scope = models.TextField(_("budget scope (task book)"), blank=True)
    signed_by_applicant = actor_field(_("task book signed for the applicant by"))
    applicant_signed_at = models.DateTimeField(_("signed by the applicant at"), null=True, blank=True)
    signed_by_county = actor_field(_("task book signed for the county by"))
    county_signed_at = models.DateTimeField(_("signed by the county at"), null=True, blank=True)
    final_summary = models.TextField(_("final report"), blank=True)
    verdict = models.CharField(
        pgettext_lazy("acceptance", "verdict"), max_length=16, choices=Verdict.choices, blank=True
    )
    verdict_comment = models.TextField(_("committee comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    final_at = models.DateTimeField(_("final report at"), null=True, blank=True)
    accepted_at = models.DateTimeField(pgettext_lazy("acceptance", "accepted at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    scope = project_scope()
    workflow = StateMachine(
        "status",
        [
            Transition("submit", frozenset({ProjectStatus.DRAFT}), ProjectStatus.SUBMITTED, APPLICANTS, _("Submit")),
            Transition(
                "return", frozenset({ProjectStatus.SUBMITTED}), ProjectStatus.DRAFT, MANAGERS, _("Return for changes")
            ),
            Transition(
                "check", frozenset({ProjectStatus.SUBMITTED}), ProjectStatus.UNDER_REVIEW, MANAGERS, _("Pass check")
            ),
            Transition(
                "assign_reviewers", frozenset({ProjectStatus.UNDER_REVIEW}), None, MANAGERS, _("Assign reviewers")
            ),
            Transition(
                "approve", frozenset({ProjectStatus.UNDER_REVIEW}), ProjectStatus.APPROVED, MANAGERS, _("Approve")
            ),
            Transition("reject", DECIDING, ProjectStatus.REJECTED, MANAGERS, _("Reject")),
            Transition("sign_taskbook", frozenset({ProjectStatus.APPROVED}), None, SIGNERS, _("Sign the task book")),
            Transition(
                "start", frozenset({ProjectStatus.APPROVED}), ProjectStatus.IN_PROGRESS, SIGNERS, _("Start the project")
            ),
            Transition(
                "report_progress", frozenset({ProjectStatus.IN_PROGRESS}), None, APPLICANTS, _("Report progress")
            ),
            Transition(
                "submit_final",
                frozenset({ProjectStatus.IN_PROGRESS}),
                ProjectStatus.FINAL_REPORT,
                APPLICANTS,
                _("Submit the final report"),
            ),
            Transition(
                "accept",
                frozenset({ProjectStatus.FINAL_REPORT}),
                ProjectStatus.ACCEPTED,
                MANAGERS,
                pgettext_lazy("acceptance", "Accept"),
            ),
            Transition(
                "fail", frozenset({ProjectStatus.FINAL_REPORT}), ProjectStatus.FAILED, MANAGERS, _("Fail acceptance")
            ),
            Transition(
                "archive",
                frozenset({ProjectStatus.ACCEPTED, ProjectStatus.FAILED, ProjectStatus.REJECTED}),
                None,
                MANAGERS,
                _("Archive"),
            ),
        ],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["county", "status"], name="projects_project_county_idx"),
            models.Index(fields=["call", "status", "score"], name="projects_project_rank_idx"),
            models.Index(fields=["applicant", "status"], name="projects_project_owner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", args=[self.pk])


class Indicator(BaseModel):
    """One promised result: planned in the declaration, targeted in the task book, achieved in the final report."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("indicator"), max_length=24, choices=IndicatorKind.choices)
    name = models.CharField(_("description"), max_length=100, blank=True)
    unit = models.CharField(pgettext_lazy("measure", "unit"), max_length=16, blank=True)
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target (task book)"), max_digits=14, decimal_places=2, null=True, blank=True)
    achieved = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2, null=True, blank=True)

    scope = project_scope("project")

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class BudgetLine(BaseModel):
    """One line of a declaration's budget; the lines sum to the requested amount."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=16, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = money(_("amount"))

    scope = project_scope("project")

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"


class TeamMember(BaseModel):
    """A member of the project team; listed members (and a linked login) may not review the project."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="team")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64)
    organisation = models.CharField(_("organisation"), max_length=128, blank=True)
    duty = models.CharField(_("duty"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = project_scope("project")

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


def attachment_path(attachment: Attachment, filename: str) -> str:
    """Never the uploaded name: the storage picks a free one under the project's folder."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projects/{attachment.project_id}/attachment.{extension}"


class Attachment(BaseModel):
    """A document attached to a declaration or a progress report, named after the call's required attachment."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("document"), max_length=100)
    file = models.FileField(_("file"), upload_to=attachment_path)

    audit_exclude = ("file",)
    scope = project_scope("project")

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Milestone(BaseModel):
    """A milestone of the task book; the applicant reports progress against it."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    report = models.TextField(_("progress report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    scope = project_scope("project")

    class Meta:
        ordering = ["project", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class Review(BaseModel):
    """One reviewer's scores of one declaration on the call's rubric; `total` is the weighted mean (0–100)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="project_reviews"
    )
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED)
    #: {criterion id (as text): score 0–100}
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    scope = Scope(
        code_path="project__county__code",
        view=WATCHERS,
        change=MANAGERS,
        owner_path="reviewer",
    )

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["project", "reviewer"], name="projects_review_once")]
        indexes = [models.Index(fields=["reviewer", "status"], name="projects_review_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.project} · {self.reviewer}"

    def get_absolute_url(self) -> str:
        return reverse("projects:review-detail", args=[self.pk])


class Inspection(BaseModel):
    """A random supervision round (双随机一公开): k projects and m inspectors drawn from recorded pools with a recorded
    seed, so anyone can re-run `random.Random(seed)` over the same ordered pools and get the same draw."""

    area = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    seed = models.BigIntegerField(pgettext_lazy("draw", "seed"))
    project_count = models.PositiveSmallIntegerField(_("projects drawn"), validators=[MinValueValidator(1)])
    inspector_count = models.PositiveSmallIntegerField(_("inspectors drawn"), validators=[MinValueValidator(1)])
    #: Ids of the candidate projects and inspectors, in the order the draw used (ascending id).
    project_pool = models.JSONField(_("project pool"), default=list)
    inspector_pool = models.JSONField(_("inspector pool"), default=list)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), blank=True, related_name="inspections"
    )
    drawn_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope = Scope(
        code_path="area__code",
        view=WATCHERS | REVIEWERS,
        # Drawn inspectors record their findings on it; publishing stays the county's (services check).
        change=MANAGERS | REVIEWERS,
        narrowed={Role.REVIEWER: lambda user, grant: inspecting(user, "pk")},
    )

    class Meta:
        ordering = ["-drawn_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:inspection-detail", args=[self.pk])


class InspectionItem(BaseModel):
    """One drawn project of an inspection and what the inspectors found there."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="items"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="inspection_items"
    )
    position = models.PositiveSmallIntegerField(_("drawn as"), default=0)
    level = models.CharField(
        pgettext_lazy("inspection", "conclusion"), max_length=16, choices=FindingLevel.choices, blank=True
    )
    findings = models.TextField(pgettext_lazy("inspection", "findings"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    scope = Scope(
        code_path="inspection__area__code",
        view=WATCHERS | REVIEWERS,
        change=MANAGERS | REVIEWERS,
        narrowed={Role.REVIEWER: lambda user, grant: inspecting(user, "inspection_id")},
    )

    class Meta:
        ordering = ["inspection", "position", "id"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        constraints = [models.UniqueConstraint(fields=["inspection", "project"], name="projects_item_once")]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.project}"


class Rectification(BaseModel):
    """A problem to put right (整改) by a deadline: the applicant submits evidence, the county closes it; an overdue
    one is escalated to the county admins by the sweep."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="rectifications"
    )
    item = models.ForeignKey(
        InspectionItem,
        verbose_name=_("inspection finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectifications",
    )
    description = models.TextField(_("what to rectify"))
    deadline = models.DateField(pgettext_lazy("rectification", "deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    evidence = models.TextField(pgettext_lazy("rectification", "evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="projects/rectifications/", blank=True)
    submitted_at = models.DateTimeField(_("evidence submitted at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("rectification", "closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    audit_exclude = ("evidence_file",)
    scope = project_scope("project")
    workflow = StateMachine(
        "status",
        [
            Transition(
                "submit_evidence",
                frozenset({RectificationStatus.OPEN}),
                RectificationStatus.SUBMITTED,
                APPLICANTS,
                _("Submit evidence"),
            ),
            Transition(
                "close",
                frozenset({RectificationStatus.SUBMITTED}),
                RectificationStatus.CLOSED,
                MANAGERS,
                pgettext_lazy("rectification", "Close"),
            ),
            Transition(
                "reopen",
                frozenset({RectificationStatus.SUBMITTED}),
                RectificationStatus.OPEN,
                MANAGERS,
                _("Return: not yet rectified"),
            ),
        ],
    )

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [models.Index(fields=["status", "deadline"], name="projects_rect_due_idx")]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return reverse("projects:rectification-detail", args=[self.pk])
