"""S&T commissioners (科技特派员): yearly selection batches, service teams, assistance agreements and service logs.

Commissioners are `experts.Expert` rows with `is_commissioner`; their village pairings are `experts.Pairing`.
Every record here stores the area it concerns (county for batches and teams, village for agreements and logs), so
jurisdiction is one indexed range on the division code and statistics need no joins through experts.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.choices import (
    AgreementStatus,
    BatchStatus,
    CandidateSource,
    CandidateStatus,
    LogStatus,
    ServiceKind,
)
from sciaid.commissioners.yearly_choices import ActivityKind, OrganisationKind, Rating, RoundStatus, WorkstationStatus
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.models import Area, Household

MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
EXPERTS = frozenset({Role.EXPERT})
#: Who confirms a service log: the village info officer on the spot, or the county.
CONFIRMERS = MANAGERS | {Role.INFO_OFFICER}
READERS = MANAGERS | {Role.SUPERVISOR}


def year_field():
    return models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])


def in_own_team(path: str):
    """An expert's grant shows the records of the teams they belong to (an EXISTS, so no row repeats)."""

    def narrow(user, grant) -> Q:
        members = TeamMember.objects.filter(team=OuterRef(path), expert__user_id=user.pk)
        return Q(Exists(members))

    return narrow


class Batch(BaseModel):
    """A county's yearly selection batch (选派/认定 批次): experts apply or are nominated, the county decides."""

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.OPEN)

    # Experts see the batches of the county they serve, to apply.
    scope = Scope(code_path="county__code", view=READERS | EXPERTS, change=MANAGERS)
    workflow = StateMachine(
        "status",
        [
            Transition("close", frozenset({BatchStatus.OPEN}), BatchStatus.CLOSED, MANAGERS, _("Close")),
            Transition("reopen", frozenset({BatchStatus.CLOSED}), BatchStatus.OPEN, MANAGERS, _("Reopen")),
        ],
    )

    class Meta:
        ordering = ["-year", "county__code", "-id"]
        verbose_name = _("selection batch")
        verbose_name_plural = _("selection batches")
        indexes = [models.Index(fields=["county", "year"], name="comm_batch_county_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commissioners:batch-detail", args=[self.pk])


class Candidate(BaseModel):
    """An expert in a batch: applied, nominated or on an imported roster; approval makes them a commissioner."""

    batch = models.ForeignKey(Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="candidates")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="candidacies")
    level = models.CharField(_("level"), max_length=16, choices=ExpertLevel.choices, default=ExpertLevel.COUNTY)
    source = models.CharField(
        _("source"), max_length=16, choices=CandidateSource.choices, default=CandidateSource.APPLIED
    )
    nominated_by = models.CharField(_("nominated by"), max_length=128, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.SUBMITTED
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope = Scope(code_path="batch__county__code", view=READERS, change=MANAGERS, owner_path="expert__user")
    workflow = StateMachine(
        "status",
        [
            Transition(
                "approve", frozenset({CandidateStatus.SUBMITTED}), CandidateStatus.APPROVED, MANAGERS, _("Approve")
            ),
            Transition(
                "reject", frozenset({CandidateStatus.SUBMITTED}), CandidateStatus.REJECTED, MANAGERS, _("Reject")
            ),
            Transition(
                "withdraw", frozenset({CandidateStatus.SUBMITTED}), CandidateStatus.WITHDRAWN, EXPERTS, _("Withdraw")
            ),
        ],
    )

    class Meta:
        ordering = ["batch", "expert__name", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["batch", "expert"], name="comm_candidate_once_per_batch")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.batch}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:batch-detail", args=[self.batch_id])


class Team(BaseModel):
    """A service team (服务团队) of 3–5 commissioners with a leader, serving villages together for a year."""

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    name = models.CharField(_("name"), max_length=128)
    leader = models.ForeignKey(Expert, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+")
    villages = models.ManyToManyField(Area, verbose_name=_("villages"), related_name="commissioner_teams")

    scope = Scope(
        code_path="county__code",
        view=READERS | EXPERTS | {Role.INFO_OFFICER},
        change=MANAGERS,
        narrowed={Role.EXPERT: in_own_team("pk")},
    )

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioners:team-detail", args=[self.pk])


class TeamMember(models.Model):
    """One commissioner in a team; the leader is a member too."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["team", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "expert"], name="comm_team_member_once")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.team}"


def scan_path(agreement: Agreement, filename: str) -> str:
    return f"agreements/{agreement.village_id}/{filename}"


class Agreement(BaseModel):
    """An assistance agreement (帮扶协议) of a pairing or a team with one village for a year, with its targets.

    Progress is counted from the confirmed service logs linked to it, never stored.
    """

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("commissioner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    duties = models.TextField(_("duties"), blank=True)
    target_trainings = models.PositiveIntegerField(_("target: trainings"), default=0)
    target_trainees = models.PositiveIntegerField(_("target: trainees"), default=0)
    target_varieties = models.PositiveIntegerField(_("target: new varieties"), default=0)
    target_techniques = models.PositiveIntegerField(_("target: new techniques"), default=0)
    target_households = models.PositiveIntegerField(_("target: households helped"), default=0)
    scan = models.FileField(_("signed scan"), upload_to=scan_path, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    termination_reason = models.TextField(_("reason for termination"), blank=True)

    audit_exclude = ("scan",)
    scope = Scope(
        code_path="village__code",
        view=READERS | EXPERTS | {Role.INFO_OFFICER},
        change=MANAGERS,
        owner_path="expert__user",
        narrowed={Role.EXPERT: in_own_team("team")},
    )
    workflow = StateMachine(
        "status",
        [
            Transition("sign", frozenset({AgreementStatus.DRAFT}), AgreementStatus.SIGNED, MANAGERS, _("Sign")),
            Transition(
                "fulfil", frozenset({AgreementStatus.SIGNED}), AgreementStatus.FULFILLED, MANAGERS, _("Mark fulfilled")
            ),
            Transition(
                "terminate",
                frozenset({AgreementStatus.DRAFT, AgreementStatus.SIGNED}),
                AgreementStatus.TERMINATED,
                MANAGERS,
                _("Terminate"),
            ),
        ],
    )

    class Meta:
        ordering = ["-year", "village__code", "id"]
        verbose_name = _("assistance agreement")
        verbose_name_plural = _("assistance agreements")
        indexes = [models.Index(fields=["village", "year"], name="comm_agreement_village_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pairing__isnull=False) | Q(team__isnull=False), name="comm_agreement_has_party"
            )
        ]

    def __str__(self) -> str:
        party = self.team if self.team_id else self.expert
        return f"{party} · {self.village} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:agreement-detail", args=[self.pk])


class ServiceLog(BaseModel):
    """One service a commissioner gave in a village (服务记录), entered in the field and confirmed on the spot.

    Households helped are picked from the registry, so a household helped by several logs counts once; helped
    households not in the registry are only counted (`other_households`).
    """

    expert = models.ForeignKey(Expert, verbose_name=_("commissioner"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="logs"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), null=True, blank=True, on_delete=models.SET_NULL, related_name="logs"
    )
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type of service"), max_length=16, choices=ServiceKind.choices)
    served_on = models.DateField(_("date"))
    summary = models.TextField(_("what was done"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    households = models.ManyToManyField(
        Household, verbose_name=_("households helped"), blank=True, related_name="commissioner_logs"
    )
    other_households = models.PositiveIntegerField(
        _("other households helped"), default=0, help_text=_("Households helped that are not in the registry.")
    )
    varieties = models.TextField(_("new varieties introduced"), blank=True, help_text=_("One per line."))
    techniques = models.TextField(_("new techniques introduced"), blank=True, help_text=_("One per line."))
    new_varieties = models.PositiveSmallIntegerField(_("number of new varieties"), default=0, editable=False)
    new_techniques = models.PositiveSmallIntegerField(_("number of new techniques"), default=0, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LogStatus.choices, default=LogStatus.SUBMITTED)
    confirmed_by = actor_field(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)

    scope = Scope(
        code_path="village__code",
        view=READERS | CONFIRMERS | EXPERTS,
        change=CONFIRMERS,
        owner_path="expert__user",
        narrowed={Role.EXPERT: in_own_team("team")},
    )
    workflow = StateMachine(
        "status",
        [
            Transition("confirm", frozenset({LogStatus.SUBMITTED}), LogStatus.CONFIRMED, CONFIRMERS, _("Confirm")),
            Transition(
                "return", frozenset({LogStatus.SUBMITTED}), LogStatus.RETURNED, CONFIRMERS, _("Return for correction")
            ),
            Transition("resubmit", frozenset({LogStatus.RETURNED}), LogStatus.SUBMITTED, EXPERTS, _("Resubmit")),
        ],
    )

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")
        indexes = [
            models.Index(fields=["village", "served_on"], name="comm_log_village_idx"),
            models.Index(fields=["expert", "status", "served_on"], name="comm_log_expert_idx"),
            models.Index(fields=["team", "served_on"], name="comm_log_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.village} · {self.served_on}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:log-detail", args=[self.pk])


def log_photo_path(photo: LogPhoto, filename: str) -> str:
    return f"commissioner-logs/{photo.log_id}/{filename}"


class LogPhoto(BaseModel):
    """A photo taken at the service (re-encoded without EXIF data, like demand photos)."""

    log = models.ForeignKey(ServiceLog, verbose_name=_("service log"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("image"), upload_to=log_photo_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    audit_exclude = ("image",)
    scope = Scope(
        code_path="log__village__code",
        view=READERS | CONFIRMERS,
        change=CONFIRMERS,
        owner_path="log__expert__user",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class VillageYearFigures(models.Model):
    """A village's confirmed service figures for a year, kept by the services whenever a log is confirmed.

    Households are distinct within the village, and a household belongs to one village (a log names households of
    its own village only), so summing villages gives the distinct count of any township, county or province: the
    statistics read ~12,000 rows for a province instead of aggregating a million logs.
    """

    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.CASCADE, related_name="+")
    year = year_field()
    services = models.PositiveIntegerField(_("confirmed services"), default=0)
    trainings = models.PositiveIntegerField(_("trainings"), default=0)
    trainees = models.PositiveIntegerField(_("trainees"), default=0)
    varieties = models.PositiveIntegerField(_("new varieties"), default=0)
    techniques = models.PositiveIntegerField(_("new techniques"), default=0)
    households = models.PositiveIntegerField(_("households helped"), default=0)

    class Meta:
        verbose_name = _("village service figures")
        verbose_name_plural = _("village service figures")
        constraints = [models.UniqueConstraint(fields=["year", "village"], name="comm_figures_once")]

    def __str__(self) -> str:
        return f"{self.village_id} · {self.year}"


# --- the commissioners' year: allocation rule, workstations, appraisal ---------------------------------------------
#: Who reviews workstation applications: reviewers and experts, each only the applications assigned to them.
REVIEWERS = frozenset({Role.REVIEWER, Role.EXPERT})


class AllocationRule(BaseModel):
    """How a county pays its commissioners for a year (the seeds: ¥3,400 for one village, more for two or more).

    A commissioner paired with n villages of the county that year earns `base_amount + increment × (n − 1)`.
    Posting the rule (services.post_allocation_rule) puts one allocation per commissioner in the funds ledger, each
    with a key naming county, year and commissioner, so posting again never pays anyone twice.
    """

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    base_amount = models.DecimalField(
        _("amount for one village (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("3400.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    increment = models.DecimalField(
        _("increment per further village (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    budget = models.ForeignKey(
        "funds.Budget",
        verbose_name=_("posted from budget"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    scope = Scope(code_path="county__code", view=READERS, change=MANAGERS)

    class Meta:
        ordering = ["-year", "county__code"]
        verbose_name = _("commissioner allocation rule")
        verbose_name_plural = _("commissioner allocation rules")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="comm_allocation_rule_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:allocation-rule", args=[self.pk])

    def amount_for(self, villages: int) -> Decimal:
        """What a commissioner paired with `villages` villages earns (nothing for none)."""
        if villages < 1:
            return Decimal("0.00")
        return self.base_amount + self.increment * (villages - 1)


def assigned_or_stationed(user, grant) -> Q:
    """A reviewer sees the applications assigned to them; an expert those too and the stations they serve."""
    reviewing = WorkstationReview.objects.filter(workstation=OuterRef("pk"), reviewer_id=user.pk)
    if grant.role != Role.EXPERT:
        return Q(Exists(reviewing))
    stationed = Workstation.commissioners.through.objects.filter(workstation=OuterRef("pk"), expert__user_id=user.pk)
    return Q(Exists(reviewing)) | Q(Exists(stationed))


class Workstation(BaseModel):
    """A commissioner workstation (科技特派员工作站) run by an enterprise or cooperative in a host village.

    The applicant applies; experts review; the province files (备案) or rejects it; a filed station reports its
    activities, is appraised yearly and receives funds through the ledger, and may be revoked.
    """

    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=16, choices=OrganisationKind.choices, default=OrganisationKind.ENTERPRISE
    )
    industry = models.CharField(_("industry"), max_length=100)
    village = models.ForeignKey(Area, verbose_name=_("host village"), on_delete=models.PROTECT, related_name="+")
    commissioners = models.ManyToManyField(
        Expert, verbose_name=_("stationed commissioners"), blank=True, related_name="workstations"
    )
    facilities = models.TextField(_("facilities"), blank=True)
    plan = models.TextField(_("work plan"))
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=WorkstationStatus.choices, default=WorkstationStatus.APPLIED
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)

    scope = Scope(
        code_path="village__code",
        view=READERS | REVIEWERS,
        change=MANAGERS,
        owner_path="applicant",
        narrowed={Role.REVIEWER: assigned_or_stationed, Role.EXPERT: assigned_or_stationed},
    )
    workflow = StateMachine(
        "status",
        [
            Transition(
                "start_review",
                frozenset({WorkstationStatus.APPLIED}),
                WorkstationStatus.UNDER_REVIEW,
                MANAGERS,
                _("Send to review"),
            ),
            Transition(
                "file", frozenset({WorkstationStatus.UNDER_REVIEW}), WorkstationStatus.FILED, MANAGERS, _("File")
            ),
            Transition(
                "reject",
                frozenset({WorkstationStatus.APPLIED, WorkstationStatus.UNDER_REVIEW}),
                WorkstationStatus.REJECTED,
                MANAGERS,
                _("Reject"),
            ),
            Transition(
                "revoke", frozenset({WorkstationStatus.FILED}), WorkstationStatus.REVOKED, MANAGERS, _("Revoke")
            ),
        ],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")
        indexes = [models.Index(fields=["village", "status"], name="comm_workstation_village_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioners:workstation-detail", args=[self.pk])


def workstation_part_scope() -> Scope:
    """Reviews, activities and appraisals are read with their station and written by the county or province."""
    return Scope(
        code_path="workstation__village__code", view=READERS, change=MANAGERS, owner_path="workstation__applicant"
    )


class WorkstationReview(BaseModel):
    """One reviewer's score (0–100) and opinion on a workstation application."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("workstation"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    opinion = models.TextField(_("opinion"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    scope = workstation_part_scope()

    class Meta:
        ordering = ["workstation", "id"]
        verbose_name = _("workstation review")
        verbose_name_plural = _("workstation reviews")
        constraints = [models.UniqueConstraint(fields=["workstation", "reviewer"], name="comm_ws_review_once")]

    def __str__(self) -> str:
        return f"{self.workstation} · {self.reviewer}"


class WorkstationActivity(BaseModel):
    """An activity a filed workstation reports: a training, a demonstration, guidance, with the households driven."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("workstation"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("type of activity"), max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    households_driven = models.PositiveIntegerField(_("households driven"), default=0)
    note = models.TextField(_("note"), blank=True)

    scope = workstation_part_scope()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("workstation activity")
        verbose_name_plural = _("workstation activities")
        indexes = [models.Index(fields=["workstation", "held_on"], name="comm_ws_activity_idx")]

    def __str__(self) -> str:
        return self.title


class WorkstationAppraisal(BaseModel):
    """A filed workstation's yearly appraisal by the county or the province."""

    workstation = models.ForeignKey(
        Workstation, verbose_name=_("workstation"), on_delete=models.CASCADE, related_name="appraisals"
    )
    year = year_field()
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    note = models.TextField(_("note"), blank=True)

    scope = workstation_part_scope()

    class Meta:
        ordering = ["-year", "workstation"]
        verbose_name = _("workstation appraisal")
        verbose_name_plural = _("workstation appraisals")
        constraints = [models.UniqueConstraint(fields=["workstation", "year"], name="comm_ws_appraisal_once_a_year")]

    def __str__(self) -> str:
        return f"{self.workstation} {self.year}"


class AppraisalRubric(BaseModel):
    """A county's yearly commissioner appraisal (绩效考核): the rubric, and the state of the round.

    Four components, each scored 0–100 and weighted (weights sum to 100): service volume (confirmed service logs
    against `volume_target`), effect (the ratings and call-backs of the demands the commissioner served), village
    opinion and a manual score. The total rates a commissioner excellent from `excellent_from`, qualified from
    `qualified_from`; `excellent_quota` (percent) caps how many may be excellent, best totals first.
    """

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    weight_volume = models.PositiveSmallIntegerField(
        _("weight: service volume"), default=40, validators=[MaxValueValidator(100)]
    )
    weight_effect = models.PositiveSmallIntegerField(
        _("weight: effect"), default=20, validators=[MaxValueValidator(100)]
    )
    weight_opinion = models.PositiveSmallIntegerField(
        _("weight: village opinion"), default=20, validators=[MaxValueValidator(100)]
    )
    weight_manual = models.PositiveSmallIntegerField(
        _("weight: manual score"), default=20, validators=[MaxValueValidator(100)]
    )
    volume_target = models.PositiveSmallIntegerField(
        _("confirmed services for full marks"), default=12, validators=[MinValueValidator(1)]
    )
    excellent_from = models.DecimalField(
        _("excellent from (score)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("85.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    qualified_from = models.DecimalField(
        _("qualified from (score)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    excellent_quota = models.PositiveSmallIntegerField(
        _("excellent at most (per cent of commissioners)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for no quota."),
    )
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope = Scope(code_path="county__code", view=READERS, change=MANAGERS)
    workflow = StateMachine(
        "status",
        [
            Transition(
                "compute",
                frozenset({RoundStatus.DRAFT, RoundStatus.COMPUTED}),
                RoundStatus.COMPUTED,
                MANAGERS,
                _("Compute"),
            ),
            Transition("review", frozenset({RoundStatus.COMPUTED}), RoundStatus.REVIEWED, MANAGERS, _("Mark reviewed")),
            Transition("reopen", frozenset({RoundStatus.REVIEWED}), RoundStatus.COMPUTED, MANAGERS, _("Reopen")),
            Transition("publish", frozenset({RoundStatus.REVIEWED}), RoundStatus.PUBLISHED, MANAGERS, _("Publish")),
        ],
    )

    class Meta:
        ordering = ["-year", "county__code"]
        verbose_name = _("appraisal rubric")
        verbose_name_plural = _("appraisal rubrics")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="comm_appraisal_rubric_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:appraisal-rubric", args=[self.pk])

    @property
    def weights(self) -> dict[str, int]:
        return {
            "volume": self.weight_volume,
            "effect": self.weight_effect,
            "opinion": self.weight_opinion,
            "manual": self.weight_manual,
        }

    def clean(self) -> None:
        if sum(self.weights.values()) != 100:
            raise ValidationError({"weight_manual": _("The four weights must add up to 100.")})
        thresholds = (self.qualified_from, self.excellent_from)
        if None not in thresholds and thresholds[0] > thresholds[1]:
            raise ValidationError({"qualified_from": _("The qualified threshold cannot be above the excellent one.")})


def own_published_sheet(user, grant) -> Q:
    """A commissioner sees their own appraisal sheets, once the county has published them."""
    return Q(expert__user_id=user.pk, rubric__status=RoundStatus.PUBLISHED)


class Appraisal(BaseModel):
    """One commissioner's appraisal sheet for a county's year: the figures, component scores, total and rating."""

    rubric = models.ForeignKey(
        AppraisalRubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="sheets"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("commissioner"), on_delete=models.PROTECT, related_name="+")
    villages = models.PositiveSmallIntegerField(_("villages paired"), default=0)
    services = models.PositiveIntegerField(_("confirmed services"), default=0)
    demands_served = models.PositiveIntegerField(_("demands served"), default=0)
    mean_rating = models.DecimalField(_("mean rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    callbacks = models.PositiveIntegerField(_("call-backs"), default=0)
    satisfied_callbacks = models.PositiveIntegerField(_("satisfied call-backs"), default=0)
    volume_score = models.DecimalField(_("service volume score"), max_digits=5, decimal_places=2, default=0)
    effect_score = models.DecimalField(_("effect score"), max_digits=5, decimal_places=2, default=0)
    opinion_score = models.DecimalField(
        _("village opinion score"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    manual_score = models.DecimalField(
        _("manual score"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope = Scope(
        code_path="rubric__county__code",
        view=READERS | EXPERTS,
        change=MANAGERS,
        narrowed={Role.EXPERT: own_published_sheet},
    )

    class Meta:
        ordering = ["rubric", "rank", "id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [models.UniqueConstraint(fields=["rubric", "expert"], name="comm_appraisal_once")]
        indexes = [models.Index(fields=["rubric", "rating"], name="comm_appraisal_rating_idx")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.rubric}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:appraisal-detail", args=[self.pk])
