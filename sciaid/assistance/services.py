"""Every step of a demand's journey, one function each: submit, triage, assign, accept, decline, reply, schedule a
visit, resolve, rate, close, call back, judge, merge, reject; plus the sweeps (auto-close, SLA escalation) and the
yearly subsidies.

Each transition goes through `Demand.workflow` (role, jurisdiction and state are checked, and the row moves by a
conditional UPDATE, so of two officers assigning the same demand at once one wins and the other gets
TransitionRefused), is audited in the same transaction, and tells the people concerned through
`sciaid.core.notifications.notify` (email and SMS leave only after the commit).

SLA clocks: `due_at` is the deadline of the current stage (triage, acceptance, resolution; settings.ASSISTANCE_SLA
_HOURS, in working hours on the work calendar). The clock pauses while a demand waits for the farmer: an expert's
reply that asks the requester something (`asks_requester`) stops it, and the requester's next reply (or the info
officer's for them) restarts it, moving `due_at` on by the working hours it waited (kept in `paused_hours`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sciaid.accounts.models import User
from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    SERVICE_STATES,
    AssignmentStatus,
    DemandStatus,
    SlaStage,
)
from sciaid.assistance.models import (
    JUDGEMENT_CRITERIA,
    REQUESTERS,
    Assignment,
    Demand,
    Message,
    Photo,
    SiteVisit,
    SlaPolicy,
    SubsidyRule,
)
from sciaid.core import audit
from sciaid.core.calendar import WorkCalendar
from sciaid.core.context import acting_as
from sciaid.core.models import ChangeAction
from sciaid.core.notifications import notify
from sciaid.core.privacy import optional_phone
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, is_unrestricted, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Expert
from sciaid.experts.text import joined_tokens
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

#: Formats a photo may arrive in; every photo is stored as a re-encoded JPEG whatever it came as.
PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"})

# --- helpers ------------------------------------------------------------------------------------------------------


def demand_url(demand: Demand) -> str:
    return reverse("assistance:demand-detail", args=[demand.pk])


def search_text(demand: Demand) -> str:
    return joined_tokens(f"{demand.title} {demand.description}")


def sla_hours(village: Area | None) -> dict[str, int]:
    """The SLA targets of the village's county (its SlaPolicy), or the platform defaults."""
    if village is not None:
        county_code = village.code[:6].ljust(12, "0")
        policy = SlaPolicy.objects.filter(county__code=county_code).first()
        if policy is not None:
            return policy.hours()
    return dict(settings.ASSISTANCE_SLA_HOURS)


def due(stage: str, start: datetime, calendar: WorkCalendar | None = None, village: Area | None = None) -> datetime:
    """The deadline of `stage` started at `start`, in working hours on the work calendar, by the county's targets."""
    calendar = calendar or WorkCalendar(timezone.localdate(start))
    return calendar.deadline(start, sla_hours(village)[stage])


@service
def set_sla_policy(user, county: Area, *, triage_hours: int, accept_hours: int, resolve_hours: int) -> SlaPolicy:
    """A county admin sets the county's SLA targets; deadlines already running keep theirs."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("SLA targets are set for a county.")})
    if not area_allows(user, county, SlaPolicy.scope.change):
        raise PermissionDenied(_("This county is outside your jurisdiction."))
    policy = SlaPolicy.objects.filter(county=county).first() or SlaPolicy(county=county)
    policy.triage_hours, policy.accept_hours, policy.resolve_hours = triage_hours, accept_hours, resolve_hours
    policy.full_clean()
    policy.save()
    return policy


def county_code_range(village: Area) -> tuple[str, str]:
    """The division-code range of the county a village belongs to (its first six digits)."""
    return village.code[:6].ljust(12, "0"), village.code[:6].ljust(12, "9")


def people(role: str, codes: Iterable[str]):
    """Active users holding `role` on one of the areas with these division codes."""
    return User.objects.filter(is_active=True, grants__role=role, grants__area__code__in=list(codes)).distinct()


def desk(demand: Demand):
    """The triage officers who route this demand: granted on its county (or the city or province above)."""
    return people(Role.TRIAGE_OFFICER, demand.village.ancestor_codes())


def requester_side(demand: Demand):
    """The requester, and the village's info officers who speak for the farmer."""
    return [demand.requester, *people(Role.INFO_OFFICER, [demand.village.code])]


def tell(recipients, demand: Demand, kind: str, title: str, sms: bool = False) -> None:
    """Notify the recipients about this demand (text in the language of the current request)."""
    notify(recipients, title=title, body=demand.title, url=demand_url(demand), kind=f"demand.{kind}", sms=sms)


def own_assignment(user, demand: Demand, *, status: str | None = None, lock: bool = False) -> Assignment:
    """The acting expert's assignment on this demand (locked for the transaction when asked to), or a refusal."""
    qs = Assignment.objects.filter(demand=demand, expert__user_id=getattr(user, "pk", None)).select_related("expert")
    assignment = (qs.select_for_update(of=("self",)) if lock else qs).first()
    if assignment is None:
        raise PermissionDenied(_("This demand is not assigned to you."))
    if status is not None and assignment.status != status:
        raise TransitionRefused(
            _("Your assignment is “%(state)s”: this cannot be done now.") % {"state": assignment.get_status_display()}
        )
    return assignment


def speaks_for_requester(user, demand: Demand) -> bool:
    """The requester themselves, the farmer of the household, or an info officer of the village."""
    if demand.requester_id == getattr(user, "pk", None):
        return True
    if demand.household_id and demand.household_id == getattr(user, "household_id", None):
        return True
    return area_allows(user, demand.village, {Role.INFO_OFFICER})


def require_role(user, transition: str) -> None:
    """A wrong role is refused before anything else (403), whatever state the demand is in (which would be 409)."""
    roles = Demand.workflow.transitions[transition].roles
    if not (is_unrestricted(user) or granted_roles(user) & roles):
        raise PermissionDenied(_("Your role may not do this."))


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _touch() -> dict:
    """Fields a conditional UPDATE must set itself (no save() runs)."""
    return {"updated_at": timezone.now()}


# --- photos -------------------------------------------------------------------------------------------------------


def clean_photo(upload) -> tuple[ContentFile, int, int]:
    """Check an uploaded image (size, real type) and re-encode it as JPEG without EXIF data (no GPS position, no
    camera serial); the file name is random, never the uploaded one. Returns (file, width, height)."""
    if upload.size > settings.ASSISTANCE_PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photos": _("A photo may be at most %(mb)d MB.") % {"mb": settings.ASSISTANCE_PHOTO_MAX_BYTES >> 20}}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise ValidationError({"photos": _("This file is not a picture we can read.")}) from None
    if kind not in PHOTO_FORMATS:
        raise ValidationError({"photos": _("Send photos as JPEG, PNG or WebP.")})
    edge = settings.ASSISTANCE_PHOTO_MAX_EDGE
    image.thumbnail((edge, edge))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{get_random_string(16).lower()}.jpg"), image.width, image.height


def attach_photos(demand: Demand, uploads: Sequence, message: Message | None = None) -> list[Photo]:
    """Store photos on the demand (or one of its messages), at most ASSISTANCE_MAX_PHOTOS per demand in all."""
    if not uploads:
        return []
    limit = settings.ASSISTANCE_MAX_PHOTOS
    if Photo.objects.filter(demand=demand).count() + len(uploads) > limit:
        raise ValidationError({"photos": _("A demand may have at most %(n)d photos.") % {"n": limit}})
    photos = []
    for upload in uploads:
        content, width, height = clean_photo(upload)
        photo = Photo(demand=demand, message=message, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()
        photos.append(photo)
    return photos


# --- submit and triage -------------------------------------------------------------------------------------------


def submitting_role(user, village: Area, household: Household | None) -> str:
    """The role the user submits in: an info officer for their own villages, a farmer for their own household."""
    if area_allows(user, village, {Role.INFO_OFFICER}):
        return Role.INFO_OFFICER
    own = getattr(user, "household_id", None)
    if Role.FARMER in granted_roles(user) and own and household is not None and household.pk == own:
        return Role.FARMER
    raise PermissionDenied(_("You may submit demands only for your own villages or your own household."))


@service
def submit_demand(
    user,
    *,
    title: str,
    description: str,
    specialty,
    village: Area | None = None,
    household: Household | None = None,
    farmer_name: str = "",
    farmer_phone: str = "",
    photos: Sequence = (),
    **options,
) -> Demand:
    """Record a farmer's demand, submitted by the farmer or by the village info officer for them.

    A farmer's demand always concerns their own household (and its village). A demand from a household that already
    has an open one is accepted but flagged `possible_duplicate_of` for the triage officer to merge or keep.
    """
    if household is None and Role.INFO_OFFICER not in granted_roles(user):
        household = Household.objects.filter(pk=getattr(user, "household_id", None)).select_related("village").first()
    if village is None and household is not None:
        village = household.village
    if village is None or village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("Choose a village.")})
    if household is not None and household.village_id != village.pk:
        raise ValidationError({"household": _("This household is not registered in that village.")})
    role = submitting_role(user, village, household)
    demand = Demand(
        title=require_text(title, "title", _("Give the demand a title.")),
        description=require_text(description, "description", _("Describe the problem.")),
        specialty=specialty,
        village=village,
        household=household,
        requester=user,
        requester_role=role,
        farmer_name=(farmer_name or (household.head_name if household else "")).strip(),
        farmer_phone=optional_phone(farmer_phone),
        **options,
    )
    if household is not None:
        demand.possible_duplicate_of = (
            Demand.objects.filter(household=household, status__in=OPEN_STATES).order_by("-submitted_at").first()
        )
    demand.search_tokens = search_text(demand)
    demand.due_at = due(SlaStage.TRIAGE, timezone.now(), village=demand.village)
    demand.full_clean(exclude=["requester", "specialty", "village", "household", "possible_duplicate_of"])
    demand.save()
    attach_photos(demand, photos)
    tell(desk(demand), demand, "submitted", _("New demand to triage"))
    return demand


#: What a triage officer may correct when classifying.
TRIAGE_FIELDS = frozenset({"title", "description", "specialty", "urgency", "preferred_mode"})
#: The column a triage field is written to (keys, not objects, go into the conditional UPDATE and the audit log).
TRIAGE_COLUMNS = {"specialty": "specialty_id"}


@service
def triage(user, demand: Demand, **fields) -> Demand:
    """Classify a demand (specialty, urgency, mode) and correct its text; it stays on the triage clock."""
    require_role(user, "triage")
    unknown = set(fields) - TRIAGE_FIELDS
    if unknown:
        raise ValueError(f"not triage fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(demand, key, value)
    require_text(demand.title, "title", _("Give the demand a title."))
    require_text(demand.description, "description", _("Describe the problem."))
    demand.full_clean(exclude=["requester", "specialty", "village", "household", "possible_duplicate_of"])
    return Demand.workflow.apply(
        demand,
        "triage",
        user,
        triaged_at=demand.triaged_at or timezone.now(),
        search_tokens=search_text(demand),
        **{TRIAGE_COLUMNS.get(key, key): getattr(demand, TRIAGE_COLUMNS.get(key, key)) for key in fields},
        **_touch(),
    )


def experts_in_reach(demand: Demand):
    """Active experts who may serve this demand: selected by its county, city or province, or paired with its
    village this year."""
    village = demand.village
    return Expert.objects.filter(is_active=True).filter(
        Q(home_area__code__in=village.ancestor_codes())
        | Q(pairings__village=village, pairings__year=timezone.localdate().year)
    )


@service
def assign(user, demand: Demand, experts: Sequence[Expert]) -> Demand:
    """Route the demand to one or more experts of its county's reach; the acceptance clock starts.

    Two officers assigning at once: the conditional UPDATE lets one through and refuses the other.
    """
    require_role(user, "assign")
    chosen = list({expert.pk: expert for expert in experts}.values())
    if not chosen:
        raise ValidationError({"experts": _("Choose at least one expert.")})
    reachable = set(experts_in_reach(demand).filter(pk__in=[e.pk for e in chosen]).values_list("pk", flat=True))
    outside = [str(e) for e in chosen if e.pk not in reachable]
    if outside:
        raise ValidationError(
            {"experts": _("Not available to this county: %(names)s.") % {"names": ", ".join(outside)}}
        )
    now = timezone.now()
    Demand.workflow.apply(
        demand,
        "assign",
        user,
        triaged_at=demand.triaged_at or now,
        assigned_at=now,
        due_at=due(SlaStage.ACCEPT, now, village=demand.village),
        escalation_level=0,
        **_touch(),
    )
    for expert in chosen:
        assignment, created = Assignment.objects.get_or_create(
            demand=demand, expert=expert, defaults={"assigned_by": user}
        )
        if not created:
            assignment.status, assignment.decline_reason, assignment.assigned_by = AssignmentStatus.PENDING, "", user
            assignment.responded_at = assignment.response_seconds = None
            assignment.save()
    tell(User.objects.filter(expert__in=chosen), demand, "assigned", _("A demand was assigned to you"), sms=True)
    return demand


# --- the expert's answer ----------------------------------------------------------------------------------------


def _answer(assignment: Assignment, status: str, reason: str = "") -> None:
    now = timezone.now()
    assignment.status, assignment.decline_reason, assignment.responded_at = status, reason, now
    assignment.response_seconds = max(int((now - assignment.assigned_at).total_seconds()), 0)
    assignment.save()


@service
def accept(user, demand: Demand) -> Demand:
    """The expert takes the demand on; the first acceptance starts the resolution clock, later ones join in."""
    assignment = own_assignment(user, demand, status=AssignmentStatus.PENDING, lock=True)
    _answer(assignment, AssignmentStatus.ACCEPTED)
    if demand.status not in SERVICE_STATES:
        now = timezone.now()
        Demand.workflow.apply(
            demand,
            "accept",
            user,
            accepted_at=now,
            due_at=due(SlaStage.RESOLVE, now, village=demand.village),
            escalation_level=0,
            **_touch(),
        )
    tell([demand.requester], demand, "accepted", _("An expert accepted your demand"))
    return demand


@service
def decline(user, demand: Demand, reason: str) -> Demand:
    """The expert declines with a reason; when nobody else is assigned the demand goes back to triage."""
    reason = require_text(reason, "reason", _("Say why you decline."))
    assignment = own_assignment(user, demand, status=AssignmentStatus.PENDING, lock=True)
    _answer(assignment, AssignmentStatus.DECLINED, reason)
    still_assigned = demand.assignments.filter(status__in=OPEN_ASSIGNMENTS).exists()
    if not still_assigned and demand.status == DemandStatus.ASSIGNED:
        Demand.workflow.apply(
            demand,
            "decline",
            user,
            note=reason,
            due_at=due(SlaStage.TRIAGE, timezone.now(), village=demand.village),
            escalation_level=0,
            **_touch(),
        )
        tell(desk(demand), demand, "declined", _("A demand was declined and needs an expert"))
    return demand


def _start_service(user, demand: Demand) -> None:
    if demand.status == DemandStatus.ACCEPTED:
        Demand.workflow.apply(demand, "start_service", user, **_touch())


# --- the conversation -------------------------------------------------------------------------------------------


@service
def reply(user, demand: Demand, text: str, *, asks_requester: bool = False, photos: Sequence = ()) -> Message:
    """Add a message to the demand's thread (with photos); see the module docstring for the SLA pause.

    The serving expert's first reply puts the demand in service; the requester's side may write until it closes.
    """
    text = require_text(text, "text", _("Write a message."))
    expert_assignment = (
        Assignment.objects.filter(demand=demand, expert__user_id=user.pk, status=AssignmentStatus.ACCEPTED).first()
        if Role.EXPERT in granted_roles(user)
        else None
    )
    if expert_assignment is not None:
        if demand.status not in SERVICE_STATES:
            raise TransitionRefused(_("The service of this demand is over."))
        _start_service(user, demand)
        if asks_requester and demand.paused_since is None:
            Demand.workflow.apply(demand, "pause", user, paused_since=timezone.now(), **_touch())
        recipients = requester_side(demand)
    elif speaks_for_requester(user, demand) and (is_unrestricted(user) or granted_roles(user) & REQUESTERS):
        if demand.status not in OPEN_STATES | {DemandStatus.RESOLVED}:
            raise TransitionRefused(_("This demand is closed."))
        asks_requester = False
        if demand.paused_since is not None:
            _resume(user, demand)
        recipients = User.objects.filter(
            expert__assignments__demand=demand, expert__assignments__status=AssignmentStatus.ACCEPTED
        )
    else:
        raise PermissionDenied(_("Only the serving expert and the requester write in this thread."))
    message = Message.objects.create(demand=demand, author=user, text=text, asks_requester=asks_requester)
    attach_photos(demand, photos, message)
    tell(recipients, demand, "message", _("New message about a demand"))
    return message


def _resume(user, demand: Demand) -> None:
    """Restart the clock: the working hours spent waiting for the farmer move the deadline on."""
    now = timezone.now()
    calendar = WorkCalendar(timezone.localdate(demand.paused_since), timezone.localdate(now))
    waited = max(calendar.work_hours_between(demand.paused_since, now), 0.0)
    Demand.workflow.apply(
        demand,
        "resume",
        user,
        paused_since=None,
        paused_hours=demand.paused_hours + waited,
        due_at=calendar.add_work_hours(demand.due_at, waited) if demand.due_at else None,
        **_touch(),
    )


@service
def schedule_visit(user, demand: Demand, *, scheduled_for: datetime, place: str, note: str = "") -> SiteVisit:
    """The serving expert plans an on-site visit; the demand is in service from then on."""
    assignment = own_assignment(user, demand, status=AssignmentStatus.ACCEPTED)
    if demand.status not in SERVICE_STATES:
        raise TransitionRefused(_("The service of this demand is over."))
    place = require_text(place, "place", _("Say where the visit takes place."))
    _start_service(user, demand)
    visit = SiteVisit.objects.create(
        demand=demand, expert=assignment.expert, scheduled_for=scheduled_for, place=place, note=note
    )
    tell(requester_side(demand), demand, "visit", _("An expert will visit on site"), sms=True)
    return visit


@service
def resolve(user, demand: Demand, solution_summary: str) -> Demand:
    """The serving expert marks the demand resolved with a summary of the solution; the requester is asked to rate."""
    summary = require_text(solution_summary, "solution_summary", _("Summarise the solution."))
    assignment = own_assignment(user, demand, status=AssignmentStatus.ACCEPTED)
    Demand.workflow.apply(
        demand,
        "resolve",
        user,
        solution_summary=summary,
        resolved_by_id=assignment.expert_id,
        resolved_at=timezone.now(),
        due_at=None,
        paused_since=None,
        **_touch(),
    )
    tell(requester_side(demand), demand, "resolved", _("Your demand is resolved: please rate the service"), sms=True)
    return demand


# --- closing, call-back and judgement ---------------------------------------------------------------------------


@service
def rate(user, demand: Demand, rating: int, comment: str = "") -> Demand:
    """The requester (or the village info officer for them) rates the service 1–5, which closes the demand."""
    if not speaks_for_requester(user, demand):
        raise PermissionDenied(_("Only the requester or the village's info officer rates the service."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    now = timezone.now()
    rated = Demand.workflow.apply(
        demand, "rate", user, rating=rating, rating_comment=comment.strip(), rated_at=now, closed_at=now, **_touch()
    )
    Assignment.objects.filter(demand=demand, status=AssignmentStatus.ACCEPTED).update(rating=rating)
    return rated


@service
def close(user, demand: Demand) -> Demand:
    """The county desk closes a resolved demand without waiting for a rating."""
    require_role(user, "close")
    return Demand.workflow.apply(demand, "close", user, closed_at=timezone.now(), **_touch())


def close_unrated(now: datetime | None = None) -> int:
    """Close the demands resolved more than settings.ASSISTANCE_AUTO_CLOSE_DAYS ago and still unrated.

    Each row moves by a conditional UPDATE, so two sweeps running at once close each demand once. Returns how many
    this run closed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ASSISTANCE_AUTO_CLOSE_DAYS)
    due_ids = Demand.objects.filter(status=DemandStatus.RESOLVED, resolved_at__lt=cutoff).values_list("pk", flat=True)
    closed = 0
    with acting_as(None):
        for demand in Demand.objects.filter(pk__in=list(due_ids)).select_related("village"):
            moved = Demand.objects.filter(pk=demand.pk, status=DemandStatus.RESOLVED).update(
                status=DemandStatus.CLOSED, closed_at=now, updated_at=now
            )
            if moved:
                audit.record(
                    demand,
                    ChangeAction.TRANSITION,
                    {"status": DemandStatus.RESOLVED},
                    {"status": DemandStatus.CLOSED},
                    note="auto_close",
                )
                closed += 1
    return closed


@service
def callback(user, demand: Demand, *, answer: str, satisfied: bool) -> Demand:
    """Record the call-back (回访): what the farmer said about the service, and whether they were satisfied."""
    require_role(user, "callback")
    answer = require_text(answer, "answer", _("Write down the farmer's answer."))
    return Demand.workflow.apply(
        demand,
        "callback",
        user,
        called_at=timezone.now(),
        called_by_id=user.pk,
        callback_answer=answer,
        callback_satisfied=bool(satisfied),
        **_touch(),
    )


@service
def judge(user, demand: Demand, *, valid: bool, note: str = "", **criteria: bool) -> Demand:
    """The county judges a closed demand: valid only when all five criteria hold (targeted, effective, truthful,
    complete, timely); a common-sense question fails "targeted" and is not valid. May be judged again."""
    require_role(user, "judge")
    unknown = set(criteria) - set(JUDGEMENT_CRITERIA)
    if unknown:
        raise ValueError(f"not judgement criteria: {sorted(unknown)}")
    values = {name: bool(criteria.get(name, False)) for name in JUDGEMENT_CRITERIA}
    if valid and not all(values.values()):
        raise ValidationError({"valid": _("A valid service meets all five criteria.")})
    return Demand.workflow.apply(
        demand,
        "judge",
        user,
        valid=bool(valid),
        judgement_note=note.strip(),
        judged_by_id=user.pk,
        judged_at=timezone.now(),
        **values,
        **_touch(),
    )


@service
def merge(user, demand: Demand, into: Demand) -> Demand:
    """Merge a duplicate into another open demand of the same county; the duplicate's requester is told."""
    require_role(user, "merge")
    if into.pk == demand.pk:
        raise ValidationError({"into": _("A demand cannot be merged into itself.")})
    if into.village.code[:6] != demand.village.code[:6] or not may(user, into, CHANGE):
        raise ValidationError({"into": _("Merge only into a demand of the same county.")})
    if into.status not in OPEN_STATES:
        raise ValidationError({"into": _("Merge only into an open demand.")})
    Demand.workflow.apply(demand, "merge", user, merged_into_id=into.pk, due_at=None, **_touch())
    tell([demand.requester], demand, "merged", _("Your demand was merged with a similar one"))
    return demand


@service
def reject(user, demand: Demand, reason: str) -> Demand:
    """Reject a demand that is not a technical need, saying why; the requester is told."""
    require_role(user, "reject")
    reason = require_text(reason, "reason", _("Say why the demand is rejected."))
    Demand.workflow.apply(demand, "reject", user, note=reason, reject_reason=reason, due_at=None, **_touch())
    tell([demand.requester], demand, "rejected", _("Your demand was rejected"))
    return demand


# --- SLA escalation -----------------------------------------------------------------------------------------------

#: Who hears of an overdue demand at each escalation level: 1 the county desk, 2 the county admin, 3 the city.
#: (role, digits of the division code of the area whose holders are told): county, county, city.
ESCALATION_TIERS = ((Role.TRIAGE_OFFICER, 6), (Role.COUNTY_ADMIN, 6), (Role.PLATFORM_ADMIN, 4))


def escalate_overdue(now: datetime | None = None) -> int:
    """Raise overdue open demands one tier each time their overdue time passes another SLA step, and tell that tier.

    A demand overdue by less than ASSISTANCE_ESCALATION_STEP_HOURS working hours is at tier 1, then 2, then 3.
    Paused demands (waiting for the farmer) are skipped. The level moves by a conditional UPDATE, so two sweeps at
    once notify each tier once. Returns how many demands moved up.
    """
    now = now or timezone.now()
    step = settings.ASSISTANCE_ESCALATION_STEP_HOURS
    overdue = (
        Demand.objects.filter(status__in=OPEN_STATES, due_at__lt=now, paused_since__isnull=True, escalation_level__lt=3)
        .select_related("village")
        .order_by("due_at")
    )
    calendar = WorkCalendar(timezone.localdate(now) - timedelta(days=366), timezone.localdate(now))
    moved = 0
    with acting_as(None):
        for demand in overdue.iterator(chunk_size=2000):
            late = calendar.work_hours_between(demand.due_at, now)
            level = min(3, 1 + int(late // step))
            if level <= demand.escalation_level:
                continue
            updated = Demand.objects.filter(pk=demand.pk, escalation_level=demand.escalation_level).update(
                escalation_level=level
            )
            if not updated:
                continue
            moved += 1
            role, digits = ESCALATION_TIERS[level - 1]
            code = demand.village.code[:digits].ljust(12, "0")
            tell(people(role, [code]), demand, "overdue", _("A demand is overdue"))
    return moved


# --- subsidies ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyRow:
    """One recipient's valid services of the year and what they earn (yuan)."""

    kind: str  # "expert" or "info_officer"
    recipient_id: int
    name: str
    services: int
    amount: Decimal


def rule_for(area: Area, year: int) -> SubsidyRule:
    """The county's rule for the year, or the default rule (the model's defaults) when none is recorded."""
    return SubsidyRule.objects.filter(area=area, year=year).first() or SubsidyRule(area=area, year=year)


def subsidies(area: Area, year: int) -> list[SubsidyRow]:
    """What each expert and each info officer of a county earns for the year's valid services (resolved that year,
    judged valid): two aggregate queries, experts first, then info officers, each by name."""
    rule = rule_for(area, year)
    valid = Demand.objects.filter(
        village__code__range=area.subtree_bounds, valid=True, resolved_at__year=year, status=DemandStatus.CLOSED
    )
    experts = (
        valid.filter(resolved_by__isnull=False)
        .values("resolved_by", "resolved_by__name")
        .annotate(n=Count("pk"))
        .order_by("resolved_by__name", "resolved_by")
    )
    officers = (
        valid.filter(requester_role=Role.INFO_OFFICER)
        .values("requester", "requester__full_name", "requester__username")
        .annotate(n=Count("pk"))
        .order_by("requester__username")
    )
    rows = [
        SubsidyRow("expert", row["resolved_by"], row["resolved_by__name"], row["n"], rule.expert_amount(row["n"]))
        for row in experts
    ]
    rows += [
        SubsidyRow(
            "info_officer",
            row["requester"],
            row["requester__full_name"] or row["requester__username"],
            row["n"],
            rule.officer_amount(row["n"]),
        )
        for row in officers
    ]
    return rows
