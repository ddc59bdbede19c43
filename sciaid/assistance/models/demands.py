"""Demands for expert assistance (需求) and their journey: assignments to experts, the service thread, on-site
visits, photos, and each county's SLA targets.

A demand stores its village when it is submitted (jurisdiction follows the village, never the requester), and the
time of each step, so statistics (median triage and response times) need no audit-log parsing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.assistance.choices import (
    SERVED_STATES,
    SERVICE_STATES,
    TRIAGE_STATES,
    AssignmentStatus,
    DemandStatus,
    ServiceMode,
    Urgency,
)
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.models import Area, Household

#: Who runs a county's demand desk.
TRIAGERS = frozenset({Role.TRIAGE_OFFICER, Role.COUNTY_ADMIN, Role.PLATFORM_ADMIN})
#: Who submits demands and speaks for the farmer afterwards.
REQUESTERS = frozenset({Role.FARMER, Role.INFO_OFFICER})
EXPERTS = frozenset({Role.EXPERT})
#: Who calls the farmer back (回访): the county desk or the village info officer.
CALLERS = TRIAGERS | {Role.INFO_OFFICER}
#: Who judges a service valid: the county.
JUDGES = frozenset({Role.COUNTY_ADMIN, Role.PLATFORM_ADMIN})
DEMAND_VIEWERS = TRIAGERS | {Role.SUPERVISOR, Role.INFO_OFFICER}
DEMAND_ACTORS = TRIAGERS | REQUESTERS | EXPERTS


def assigned_to_expert(user, grant) -> Q:
    """An expert's grant shows only the demands assigned to them: `id IN (their assignments' demands)`, which
    repeats no row and starts from the expert's few assignments (an EXISTS per demand would walk every demand)."""
    return Q(pk__in=Assignment.objects.filter(expert__user_id=user.pk).values("demand_id"))


def own_household_demands(user, grant) -> Q:
    """A farmer sees the demands of their own household, whoever submitted them."""
    household_id = getattr(user, "household_id", None)
    return Q(household_id=household_id) if household_id else Q(pk__in=[])


def demand_scope(path: str = "") -> Scope:
    """The demand's scope, or that of a record hanging off a demand at `path` (messages, photos, visits)."""
    prefix = f"{path}__" if path else ""
    return Scope(
        code_path=f"{prefix}village__code",
        view=DEMAND_VIEWERS,
        change=DEMAND_ACTORS,
        narrowed={
            Role.EXPERT: lambda user, grant: _prefixed(assigned_to_expert(user, grant), path),
            Role.FARMER: lambda user, grant: _prefixed(own_household_demands(user, grant), path),
        },
        owner_path=f"{prefix}requester",
    )


def _prefixed(clause: Q, path: str) -> Q:
    """The demand's filter seen from a related record: filter on the demands it selects."""
    return Q(**{f"{path}__in": Demand.objects.filter(clause).values("pk")}) if path else clause


class Demand(BaseModel):
    """A farmer's technical need, submitted by the farmer or by the village info officer for them."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    specialty = models.ForeignKey(
        Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="demands"
    )
    # Indexed by the composite indexes below, which lead with the village.
    village = models.ForeignKey(
        Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="demands", db_index=False
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="demands"
    )
    #: The role the requester submitted in: an info officer's demands count towards their subsidy.
    requester_role = models.CharField(_("submitted as"), max_length=32, choices=Role.choices)
    farmer_name = models.CharField(_("farmer"), max_length=64, blank=True)
    farmer_phone = models.CharField(_("farmer's phone"), max_length=11, blank=True)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    preferred_mode = models.CharField(
        _("preferred service"), max_length=16, choices=ServiceMode.choices, default=ServiceMode.ONLINE
    )
    status = models.CharField(_("status"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.SUBMITTED)
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    solution_summary = models.TextField(_("solution summary"), blank=True)
    resolved_by = models.ForeignKey(
        Expert, verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        pgettext_lazy("service rating", "rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("comment on the service"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_by = actor_field(_("called back by"))
    callback_answer = models.TextField(_("farmer's answer"), blank=True)
    callback_satisfied = models.BooleanField(_("farmer satisfied"), null=True, blank=True)
    valid = models.BooleanField(_("valid service"), null=True, blank=True)
    on_target = models.BooleanField(_("targeted"), default=False)
    effective = models.BooleanField(_("effective"), default=False)
    truthful = models.BooleanField(_("truthful"), default=False)
    complete = models.BooleanField(_("complete"), default=False)
    timely = models.BooleanField(_("timely"), default=False)
    judgement_note = models.TextField(_("judgement note"), blank=True)
    judged_by = actor_field(_("judged by"))
    judged_at = models.DateTimeField(_("judged at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("waiting for the farmer since"), null=True, blank=True)
    paused_hours = models.FloatField(_("working hours paused"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    accepted_at = models.DateTimeField(pgettext_lazy("demand", "accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("demand", "closed at"), null=True, blank=True)
    #: Space-separated word tokens of title and description (jieba), for similar-demand search.
    search_tokens = models.TextField(_("search words"), blank=True, editable=False)

    scope = demand_scope()
    workflow = StateMachine(
        "status",
        [
            Transition("triage", TRIAGE_STATES, DemandStatus.TRIAGED, TRIAGERS, _("Classify")),
            Transition("assign", TRIAGE_STATES, DemandStatus.ASSIGNED, TRIAGERS, _("Assign")),
            Transition(
                "accept",
                frozenset({DemandStatus.ASSIGNED}),
                DemandStatus.ACCEPTED,
                EXPERTS,
                pgettext_lazy("demand", "Accept"),
            ),
            Transition("decline", frozenset({DemandStatus.ASSIGNED}), DemandStatus.DECLINED, EXPERTS, _("Decline")),
            Transition(
                "start_service", frozenset({DemandStatus.ACCEPTED}), DemandStatus.IN_SERVICE, EXPERTS, _("Serve")
            ),
            Transition("resolve", SERVICE_STATES, DemandStatus.RESOLVED, EXPERTS, _("Mark resolved")),
            Transition("rate", frozenset({DemandStatus.RESOLVED}), DemandStatus.CLOSED, REQUESTERS, _("Rate")),
            Transition("close", frozenset({DemandStatus.RESOLVED}), DemandStatus.CLOSED, TRIAGERS, _("Close")),
            Transition("merge", TRIAGE_STATES, DemandStatus.MERGED, TRIAGERS, _("Merge as duplicate")),
            Transition("reject", TRIAGE_STATES, DemandStatus.REJECTED, TRIAGERS, _("Reject")),
            Transition("callback", SERVED_STATES, None, CALLERS, _("Record call-back")),
            Transition("judge", frozenset({DemandStatus.CLOSED}), None, JUDGES, _("Judge validity")),
            Transition("pause", SERVICE_STATES, None, EXPERTS, _("Ask the farmer")),
            Transition("resume", SERVICE_STATES, None, REQUESTERS, _("Answer the expert")),
        ],
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [
            # The triage queue: a county's villages, open states, soonest deadline first.
            models.Index(fields=["village", "status", "due_at"], name="assist_demand_queue_idx"),
            # A county's demands newest first: their keys and submission times are read on this index alone, and
            # only the page's rows from the table (`sciaid.core.pagination.keyed_slice`); so are its demands
            # submitted or resolved in a year (the dashboard's counts).
            models.Index(
                fields=["village", "submitted_at", "id"], include=["resolved_at"], name="assist_demand_village_time_idx"
            ),
            models.Index(fields=["status", "due_at"], name="assist_demand_due_idx"),
            models.Index(fields=["requester", "status"], name="assist_demand_requester_idx"),
            models.Index(fields=["household", "status"], name="assist_demand_household_idx"),
            models.Index(fields=["status", "resolved_at"], name="assist_demand_resolved_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def criteria(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in JUDGEMENT_CRITERIA}


#: The five criteria of a valid service, as field names.
JUDGEMENT_CRITERIA = ("on_target", "effective", "truthful", "complete", "timely")


class Assignment(BaseModel):
    """A demand routed to one expert; one demand may go to several experts, each accepting or declining."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(
        _("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    #: Seconds from assignment to the expert's answer: the response time experts are ranked by.
    response_seconds = models.PositiveIntegerField(_("response time (s)"), null=True, blank=True)
    #: The demand's rating, copied to the serving expert's assignment when the requester rates: ranking 20,000
    #: experts by their ratings then reads assignments only, never the million-row demand table.
    rating = models.PositiveSmallIntegerField(pgettext_lazy("service rating", "rating"), null=True, blank=True)

    scope = demand_scope("demand")

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["demand", "expert"], name="assist_assignment_once")]
        indexes = [models.Index(fields=["expert", "status"], name="assist_assignment_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.demand} → {self.expert}"


class ExpertRecord(models.Model):
    """An expert's service record as the recommendation scores it, kept by the services that change assignments.

    Derived data: `services.refresh_records` recomputes the rows of the experts a transition touched (after locking
    them, so two transactions never overwrite each other's count), and `manage.py rebuild_expert_records` recomputes
    every row from the assignments. Reading 300 candidates' records is then one primary-key lookup instead of
    aggregating their ~15,000 assignments for every demand routed.
    """

    expert = models.OneToOneField(
        Expert, verbose_name=_("expert"), primary_key=True, on_delete=models.CASCADE, related_name="record"
    )
    #: Pending or accepted assignments on demands still open.
    open_assignments = models.PositiveIntegerField(_("open assignments"), default=0)
    #: Rated services (accepted assignments with a rating) and the sum of their ratings.
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    rating_total = models.PositiveIntegerField(_("sum of ratings"), default=0)
    #: Median seconds from assignment to acceptance over the accepted assignments (None before the first).
    response_seconds = models.FloatField(_("median response time (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert service record")
        verbose_name_plural = _("expert service records")

    def __str__(self) -> str:
        return str(self.expert_id)

    @property
    def mean_rating(self) -> float | None:
        return self.rating_total / self.ratings if self.ratings else None


class Message(BaseModel):
    """One message of a demand's conversation between the expert and the requester."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"))
    #: The expert asks the farmer something: the SLA clock waits for the answer.
    asks_requester = models.BooleanField(_("waits for the farmer's answer"), default=False)

    scope = demand_scope("demand")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.text[:50]


def photo_path(photo: Photo, filename: str) -> str:
    """Never the uploaded name: a random one under the demand's folder."""
    return f"demands/{photo.demand_id}/{filename}"


class Photo(BaseModel):
    """A photo of the problem, attached to a demand or to one of its messages; re-encoded, without EXIF data."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="photos")
    message = models.ForeignKey(
        Message, verbose_name=_("message"), null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("image"), upload_to=photo_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    #: The audit log records the photo's row; the file itself is not JSON.
    audit_exclude = ("image",)
    scope = demand_scope("demand")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class SiteVisit(BaseModel):
    """An on-site visit the expert schedules to serve a demand."""

    demand = models.ForeignKey(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="visits")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")
    scheduled_for = models.DateTimeField(_("scheduled for"))
    place = models.CharField(_("place"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    scope = demand_scope("demand")

    class Meta:
        ordering = ["scheduled_for", "id"]
        verbose_name = _("on-site visit")
        verbose_name_plural = _("on-site visits")

    def __str__(self) -> str:
        return f"{self.demand} · {self.scheduled_for:%Y-%m-%d}"


class SlaPolicy(BaseModel):
    """A county's own SLA targets, in working hours; counties without one use the platform defaults
    (settings.ASSISTANCE_SLA_HOURS)."""

    county = models.OneToOneField(
        Area,
        verbose_name=_("county"),
        on_delete=models.CASCADE,
        related_name="sla_policy",
        limit_choices_to={"level": 3},
    )
    triage_hours = models.PositiveIntegerField(
        _("triage within (working hours)"), validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    accept_hours = models.PositiveIntegerField(
        _("acceptance within (working hours)"), validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    resolve_hours = models.PositiveIntegerField(
        _("resolution within (working hours)"), validators=[MinValueValidator(1), MaxValueValidator(2160)]
    )

    scope = Scope(code_path="county__code", view=TRIAGERS | {Role.SUPERVISOR}, change=JUDGES)

    class Meta:
        ordering = ["county__code"]
        verbose_name = _("SLA targets")
        verbose_name_plural = _("SLA targets")

    def __str__(self) -> str:
        return str(self.county)

    def hours(self) -> dict[str, int]:
        return {"triage": self.triage_hours, "accept": self.accept_hours, "resolve": self.resolve_hours}
