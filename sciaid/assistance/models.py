"""Demands for expert assistance (需求) and their journey: assignments to experts, the service thread, on-site
visits, photos, and the yearly subsidy rule that valid services earn.

A demand stores its village when it is submitted (jurisdiction follows the village, never the requester), and the
time of each step, so statistics (median triage and response times) need no audit-log parsing.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.choices import (
    SERVED_STATES,
    SERVICE_STATES,
    TRIAGE_STATES,
    AssignmentStatus,
    DemandStatus,
    KnowledgeStatus,
    RecipientKind,
    ServiceMode,
    StatementStatus,
    Urgency,
)
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW, Scope, ScopedManager, user_grants
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
    """An expert's grant shows only the demands assigned to them (an EXISTS, so no row is repeated)."""
    return Q(Exists(Assignment.objects.filter(demand=OuterRef("pk"), expert__user_id=user.pk)))


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
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="demands")
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
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
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
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: Space-separated word tokens of title and description (jieba), for similar-demand search.
    search_tokens = models.TextField(_("search words"), blank=True, editable=False)

    scope = demand_scope()
    workflow = StateMachine(
        "status",
        [
            Transition("triage", TRIAGE_STATES, DemandStatus.TRIAGED, TRIAGERS, _("Classify")),
            Transition("assign", TRIAGE_STATES, DemandStatus.ASSIGNED, TRIAGERS, _("Assign")),
            Transition("accept", frozenset({DemandStatus.ASSIGNED}), DemandStatus.ACCEPTED, EXPERTS, _("Accept")),
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
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)

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


class SubsidyRule(BaseModel):
    """How a county pays valid services in a year (amounts in yuan).

    Expert: `expert_per_service` for each valid service, at most `expert_cap` a year. Info officer: nothing below
    `officer_minimum_services`; `officer_first_amount` once for the first `officer_first_n` valid services, then
    `officer_after_amount` for each further one, at most `officer_cap`. The defaults are the issue's example rule
    (expert ¥100 up to ¥5,000; officer ¥300 for the first 5, ¥30 each after, up to ¥2,000; nothing below 5).
    """

    area = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="subsidy_rules")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    expert_per_service = models.DecimalField(
        _("expert: per valid service"), max_digits=10, decimal_places=2, default=Decimal("100.00")
    )
    expert_cap = models.DecimalField(
        _("expert: yearly cap"), max_digits=10, decimal_places=2, default=Decimal("5000.00")
    )
    officer_first_n = models.PositiveSmallIntegerField(_("info officer: first services"), default=5)
    officer_first_amount = models.DecimalField(
        _("info officer: for the first services"), max_digits=10, decimal_places=2, default=Decimal("300.00")
    )
    officer_after_amount = models.DecimalField(
        _("info officer: per further service"), max_digits=10, decimal_places=2, default=Decimal("30.00")
    )
    officer_cap = models.DecimalField(
        _("info officer: yearly cap"), max_digits=10, decimal_places=2, default=Decimal("2000.00")
    )
    officer_minimum_services = models.PositiveSmallIntegerField(_("info officer: minimum services"), default=5)

    scope = Scope(code_path="area__code", view=TRIAGERS | {Role.SUPERVISOR}, change=JUDGES)

    class Meta:
        ordering = ["-year", "area__code"]
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="assist_subsidy_rule_once_a_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"

    def expert_amount(self, services: int) -> Decimal:
        return min(self.expert_per_service * services, self.expert_cap)

    def officer_amount(self, services: int) -> Decimal:
        if services < max(self.officer_minimum_services, 1):
            return Decimal("0.00")
        further = max(services - self.officer_first_n, 0)
        first = self.officer_first_amount if services >= self.officer_first_n else Decimal("0.00")
        return min(first + self.officer_after_amount * further, self.officer_cap)


# --- knowledge from solutions -------------------------------------------------------------------------------------

#: Who reviews a county's solution summaries before they become knowledge: the county desk.
KNOWLEDGE_REVIEWERS = TRIAGERS


class PublishedKnowledgeScope(Scope):
    """Reviewers see their county's entries in every state; once published, an entry is read by every logged-in
    role of the province (like a catalogue), so a farmer anywhere may find the answer. Changing stays with the
    reviewers of the entry's county."""

    def filter_for(self, user, action: str) -> Q | None:
        clause = super().filter_for(user, action)
        grants = user_grants(user)
        if action != VIEW or not grants:
            return clause
        provinces = Q()
        for prefix in sorted({grant.area.code[:2] for grant in grants}):
            provinces |= Q(**{f"{self.code_path}__range": (prefix.ljust(12, "0"), prefix.ljust(12, "9"))})
        published = Q(status=KnowledgeStatus.PUBLISHED) & provinces
        return published if clause is None else clause | published


class KnowledgeEntry(BaseModel):
    """A resolved demand's solution as reusable knowledge: personal data scrubbed when proposed, then reviewed
    (edited and published, or dismissed) by the desk of the demand's county. Only published entries are searched."""

    demand = models.OneToOneField(Demand, verbose_name=_("demand"), on_delete=models.CASCADE, related_name="knowledge")
    #: The demand's village, copied so the scope and the search filter need no join through the demand table.
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    specialty = models.ForeignKey(Specialty, verbose_name=_("specialty"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), blank=True)
    body = models.TextField(_("solution"))
    status = models.CharField(
        _("status"), max_length=16, choices=KnowledgeStatus.choices, default=KnowledgeStatus.PENDING
    )
    reviewed_by = actor_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True)
    #: Space-separated jieba words of title, question and solution, for the search while a demand is typed.
    search_tokens = models.TextField(_("search words"), blank=True, editable=False)

    scope = PublishedKnowledgeScope(
        code_path="village__code", view=KNOWLEDGE_REVIEWERS | {Role.SUPERVISOR}, change=KNOWLEDGE_REVIEWERS
    )
    workflow = StateMachine(
        "status",
        [
            Transition(
                "publish",
                frozenset({KnowledgeStatus.PENDING, KnowledgeStatus.DISMISSED}),
                KnowledgeStatus.PUBLISHED,
                KNOWLEDGE_REVIEWERS,
                _("Publish"),
            ),
            Transition(
                "dismiss",
                frozenset({KnowledgeStatus.PENDING, KnowledgeStatus.PUBLISHED}),
                KnowledgeStatus.DISMISSED,
                KNOWLEDGE_REVIEWERS,
                _("Dismiss"),
            ),
        ],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        indexes = [
            models.Index(fields=["status", "village"], name="assist_knowledge_status_idx"),
            models.Index(fields=["status", "published_at"], name="assist_knowledge_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title


# --- subsidy review county → city → province --------------------------------------------------------------------

#: Who prepares, approves and returns statements: county admins (acting at the level of the area they are granted
#: on: county, city or province) and platform admins (province).
STATEMENT_ACTORS = JUDGES


class SubsidyStatement(BaseModel):
    """A county's subsidies of one year, frozen as rows when computed, and reviewed county → city → province.

    Once submitted, the rows no longer change; a returned statement may be recomputed and submitted again, an
    approved one never."""

    county = models.ForeignKey(
        Area,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="subsidy_statements",
        limit_choices_to={"level": 3},
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(
        _("status"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    total = models.DecimalField(_("total (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    submitted_by = actor_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    city_approved_by = actor_field(_("approved by the city"))
    city_approved_at = models.DateTimeField(_("approved by the city at"), null=True, blank=True)
    approved_by = actor_field(_("approved by the province"))
    approved_at = models.DateTimeField(_("approved by the province at"), null=True, blank=True)
    returned_by = actor_field(_("returned by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)

    scope = Scope(code_path="county__code", view=STATEMENT_ACTORS | {Role.SUPERVISOR}, change=STATEMENT_ACTORS)
    workflow = StateMachine(
        "status",
        [
            Transition(
                "recompute",
                frozenset({StatementStatus.DRAFT, StatementStatus.RETURNED}),
                StatementStatus.DRAFT,
                STATEMENT_ACTORS,
                _("Recompute"),
            ),
            Transition(
                "submit",
                frozenset({StatementStatus.DRAFT, StatementStatus.RETURNED}),
                StatementStatus.SUBMITTED,
                STATEMENT_ACTORS,
                _("Submit to the city"),
            ),
            Transition(
                "approve_city",
                frozenset({StatementStatus.SUBMITTED}),
                StatementStatus.CITY_APPROVED,
                STATEMENT_ACTORS,
                _("Approve (city)"),
            ),
            Transition(
                "approve_province",
                frozenset({StatementStatus.CITY_APPROVED}),
                StatementStatus.APPROVED,
                STATEMENT_ACTORS,
                _("Approve (province)"),
            ),
            Transition(
                "return",
                frozenset({StatementStatus.SUBMITTED, StatementStatus.CITY_APPROVED}),
                StatementStatus.RETURNED,
                STATEMENT_ACTORS,
                _("Return"),
            ),
        ],
    )

    class Meta:
        ordering = ["-year", "county__code"]
        verbose_name = _("subsidy statement")
        verbose_name_plural = _("subsidy statements")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="assist_statement_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"


class SubsidyStatementRow(models.Model):
    """One recipient's line of a statement, as computed: who, in which role, how many valid services, how much."""

    statement = models.ForeignKey(
        SubsidyStatement, verbose_name=_("subsidy statement"), on_delete=models.CASCADE, related_name="rows"
    )
    kind = models.CharField(_("role"), max_length=16, choices=RecipientKind.choices)
    #: The expert's id (kind "expert") or the info officer's user id: a snapshot, so no foreign key to follow.
    recipient_id = models.PositiveIntegerField(_("recipient id"))
    name = models.CharField(_("name"), max_length=128)
    services = models.PositiveIntegerField(_("valid services"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    scope = Scope(
        code_path="statement__county__code", view=STATEMENT_ACTORS | {Role.SUPERVISOR}, change=STATEMENT_ACTORS
    )
    objects = ScopedManager()

    class Meta:
        ordering = ["statement", "kind", "name", "id"]
        verbose_name = _("subsidy statement row")
        verbose_name_plural = _("subsidy statement rows")

    def __str__(self) -> str:
        return f"{self.name} · {self.amount}"
