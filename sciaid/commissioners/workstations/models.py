"""Commissioner workstations (科技特派员工作站): the application, its reviews, the activities a filed station reports
and its yearly appraisals."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.appraisals.choices import Rating
from sciaid.commissioners.common import MANAGERS, READERS, REVIEWERS, year_field
from sciaid.commissioners.workstations.choices import ActivityKind, OrganisationKind, WorkstationStatus
from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.demonstration.models import DemoSite
from sciaid.experts.models import Expert
from sciaid.regions.models import Area


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
    #: The demonstration site or base the station is located at, if any: the site's page lists the station.
    demo_site = models.ForeignKey(
        DemoSite,
        verbose_name=_("demonstration site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
