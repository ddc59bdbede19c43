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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    SERVICE_STATES,
    AssignmentStatus,
    DemandStatus,
    KnowledgeStatus,
    RecipientKind,
    SlaStage,
    StatementStatus,
)
from sciaid.assistance.knowledge import scrub_for
from sciaid.assistance.models import (
    JUDGEMENT_CRITERIA,
    REQUESTERS,
    Assignment,
    Demand,
    ExpertRecord,
    KnowledgeEntry,
    Message,
    Photo,
    SiteVisit,
    SlaPolicy,
    SubsidyRule,
    SubsidyStatement,
    SubsidyStatementRow,
)
from sciaid.assistance.recommend import service_records
from sciaid.core import audit
from sciaid.core.calendar import WorkCalendar
from sciaid.core.context import acting_as
from sciaid.core.models import ChangeAction, ObjectChange
from sciaid.core.notifications import notify
from sciaid.core.privacy import optional_phone
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, is_unrestricted, may, user_grants
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


def tell(recipients, demand: Demand, kind: str, title, sms: bool = False) -> None:
    """Notify the recipients about this demand, each in their own language (pass `title` as gettext_lazy)."""
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
    tell(desk(demand), demand, "submitted", gettext_lazy("New demand to triage"))
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
    refresh_records(expert.pk for expert in chosen)
    assigned = gettext_lazy("A demand was assigned to you")
    tell(User.objects.filter(expert__in=chosen), demand, "assigned", assigned, sms=True)
    return demand


# --- the expert's answer ----------------------------------------------------------------------------------------


def _answer(assignment: Assignment, status: str, reason: str = "") -> None:
    now = timezone.now()
    assignment.status, assignment.decline_reason, assignment.responded_at = status, reason, now
    assignment.response_seconds = max(int((now - assignment.assigned_at).total_seconds()), 0)
    assignment.save()


# --- the experts' service records (what the recommendation scores) ----------------------------------------------

RECORD_FIELDS = ["open_assignments", "ratings", "rating_total", "response_seconds"]


def refresh_records(expert_ids: Iterable[int]) -> None:
    """Recompute the stored service records (`ExpertRecord`) of these experts, inside the current transaction.

    Every transition that changes an assignment, a rating, or takes a demand with assignments out of the open states
    calls it last. The rows are locked in id order before they are recomputed: a concurrent transition touching the
    same expert waits, then (read committed) recomputes from what the first one committed, so no count is lost.
    """
    ids = sorted(set(expert_ids))
    if not ids:
        return
    ExpertRecord.objects.bulk_create([ExpertRecord(expert_id=pk) for pk in ids], ignore_conflicts=True)
    list(ExpertRecord.objects.select_for_update().filter(expert_id__in=ids).order_by("pk").values_list("pk"))
    ExpertRecord.objects.bulk_update(service_records(ids).values(), RECORD_FIELDS)


def refresh_demand_records(demand: Demand) -> None:
    """Recompute the records of every expert assigned to this demand (its state decides their open workload)."""
    refresh_records(Assignment.objects.filter(demand=demand).values_list("expert_id", flat=True))


def rebuild_records(batch_size: int = 2000) -> int:
    """Recompute every expert's service record from the assignments (`manage.py rebuild_expert_records`, after bulk
    loads or to repair); returns how many records were written. Locks them all first, like `refresh_records`, then
    computes them all in two grouped scans and writes them back with batched upserts. Experts who were never
    assigned anything have no record (the recommendation reads that as no history)."""
    with transaction.atomic():
        ids = list(Assignment.objects.order_by("expert_id").values_list("expert_id", flat=True).distinct())
        ExpertRecord.objects.exclude(expert_id__in=ids).delete()
        ExpertRecord.objects.bulk_create(
            [ExpertRecord(expert_id=pk) for pk in ids], ignore_conflicts=True, batch_size=batch_size
        )
        list(ExpertRecord.objects.select_for_update().order_by("pk").values_list("pk"))
        records = list(service_records().values())
        ExpertRecord.objects.bulk_create(
            records, update_conflicts=True, unique_fields=["expert"], update_fields=RECORD_FIELDS, batch_size=batch_size
        )
    return len(records)


@service
def accept(user, demand: Demand) -> Demand:
    """The expert takes the demand on; the first acceptance starts the resolution clock, later ones join in."""
    assignment = own_assignment(user, demand, status=AssignmentStatus.PENDING, lock=True)
    _answer(assignment, AssignmentStatus.ACCEPTED)
    refresh_records([assignment.expert_id])
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
    tell([demand.requester], demand, "accepted", gettext_lazy("An expert accepted your demand"))
    return demand


@service
def decline(user, demand: Demand, reason: str) -> Demand:
    """The expert declines with a reason; when nobody else is assigned the demand goes back to triage."""
    reason = require_text(reason, "reason", _("Say why you decline."))
    assignment = own_assignment(user, demand, status=AssignmentStatus.PENDING, lock=True)
    _answer(assignment, AssignmentStatus.DECLINED, reason)
    refresh_records([assignment.expert_id])
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
        tell(desk(demand), demand, "declined", gettext_lazy("A demand was declined and needs an expert"))
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
    tell(recipients, demand, "message", gettext_lazy("New message about a demand"))
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
    tell(requester_side(demand), demand, "visit", gettext_lazy("An expert will visit on site"), sms=True)
    return visit


@service
def resolve(user, demand: Demand, solution_summary: str) -> Demand:
    """The serving expert marks the demand resolved with a summary of the solution; the requester is asked to rate,
    and the summary, scrubbed of personal data, waits for the county's review to become knowledge."""
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
    refresh_demand_records(demand)
    propose_knowledge(demand)
    resolved = gettext_lazy("Your demand is resolved: please rate the service")
    tell(requester_side(demand), demand, "resolved", resolved, sms=True)
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
    refresh_demand_records(demand)
    return rated


@service
def close(user, demand: Demand) -> Demand:
    """The county desk closes a resolved demand without waiting for a rating."""
    require_role(user, "close")
    return Demand.workflow.apply(demand, "close", user, closed_at=timezone.now(), **_touch())


def close_unrated(now: datetime | None = None) -> int:
    """Close the demands resolved more than settings.ASSISTANCE_AUTO_CLOSE_DAYS ago and still unrated.

    Set-based: the due rows are locked with FOR UPDATE SKIP LOCKED (rows another sweep holds are left to it), closed
    by conditional UPDATEs in batches and audited in bulk, so two sweeps at once close each demand once. Returns how
    many this run closed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ASSISTANCE_AUTO_CLOSE_DAYS)
    with transaction.atomic(), acting_as(None):
        demands = locked_for_sweep(Demand.objects.filter(status=DemandStatus.RESOLVED, resolved_at__lt=cutoff))
        closed = sum(
            Demand.objects.filter(pk__in=[d.pk for d in batch], status=DemandStatus.RESOLVED).update(
                status=DemandStatus.CLOSED, closed_at=now, updated_at=now
            )
            for batch in batched(demands, SWEEP_BATCH)
        )
        audit_transitions(demands, {"status": DemandStatus.RESOLVED}, {"status": DemandStatus.CLOSED}, "auto_close")
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
    refresh_demand_records(demand)
    tell([demand.requester], demand, "merged", gettext_lazy("Your demand was merged with a similar one"))
    return demand


@service
def reject(user, demand: Demand, reason: str) -> Demand:
    """Reject a demand that is not a technical need, saying why; the requester is told."""
    require_role(user, "reject")
    reason = require_text(reason, "reason", _("Say why the demand is rejected."))
    Demand.workflow.apply(demand, "reject", user, note=reason, reject_reason=reason, due_at=None, **_touch())
    refresh_demand_records(demand)
    tell([demand.requester], demand, "rejected", gettext_lazy("Your demand was rejected"))
    return demand


# --- SLA escalation -----------------------------------------------------------------------------------------------

#: Who hears of an overdue demand at each escalation level: 1 the county desk, 2 the county admin, 3 the city.
#: (role, digits of the division code of the area whose holders are told): county, county, city.
ESCALATION_TIERS = ((Role.TRIAGE_OFFICER, 6), (Role.COUNTY_ADMIN, 6), (Role.PLATFORM_ADMIN, 4))


#: Demands moved by one UPDATE of a sweep at most (bounded statement size on every database).
SWEEP_BATCH = 5000
#: Demand titles listed in an overdue digest at most.
DIGEST_TITLES = 10


def locked_for_sweep(demands) -> list[Demand]:
    """The rows a sweep will move, locked for its transaction; rows another sweep (or a transition) holds are
    skipped, as they are being moved. Only what the audit log and the digest need is loaded."""
    return list(
        demands.select_for_update(skip_locked=True, of=("self",))
        .select_related("village")
        .only("pk", "title", "escalation_level", "village__code")
        .order_by("due_at", "pk")
    )


def batched(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def audit_transitions(demands: Sequence[Demand], before, after, note: str) -> None:
    """One audit entry per demand a sweep moved, in bulk inserts; `before` may be a function of the demand."""
    ObjectChange.objects.bulk_create(
        [
            audit.build(demand, ChangeAction.TRANSITION, before(demand) if callable(before) else before, after, note)
            for demand in demands
        ],
        batch_size=1000,
    )


def late_since(calendar: WorkCalendar, now: datetime, hours: float) -> datetime | None:
    """The latest deadline at least `hours` working hours behind `now` (every earlier one is too: working time only
    runs forward), found by bisection to the microsecond; None when not even a year back is that late."""
    low, high = now - timedelta(days=366), now
    if calendar.work_hours_between(low, now) < hours:
        return None
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if calendar.work_hours_between(middle, now) >= hours:
            low = middle
        else:
            high = middle
    return low


def escalate_overdue(now: datetime | None = None) -> int:
    """Raise overdue open demands to the tier their lateness has reached, and tell each tier's people in one digest.

    A demand overdue by less than ASSISTANCE_ESCALATION_STEP_HOURS working hours is at tier 1, then 2, then 3.
    Paused demands (waiting for the farmer) are skipped. Set-based, highest tier first: the deadline at which a
    demand is late enough for the tier is found once on the work calendar, the demands due by then and below the
    tier are locked (FOR UPDATE SKIP LOCKED: rows another sweep holds are its to move) and raised by conditional
    UPDATEs in batches, then audited in bulk. Each person of a tier gets one digest notification per sweep listing
    their newly overdue demands, so two sweeps at once raise, audit and report each demand once. Returns how many
    demands moved up.
    """
    now = now or timezone.now()
    step = settings.ASSISTANCE_ESCALATION_STEP_HOURS
    calendar = WorkCalendar(timezone.localdate(now) - timedelta(days=366), timezone.localdate(now))
    open_and_running = Demand.objects.filter(status__in=OPEN_STATES, paused_since__isnull=True)
    moved: dict[int, list[Demand]] = {}
    with transaction.atomic(), acting_as(None):
        for level in (3, 2, 1):
            since = now if level == 1 else late_since(calendar, now, (level - 1) * step)
            if since is None:
                continue
            due = Q(due_at__lt=now) if level == 1 else Q(due_at__lte=since)
            demands = locked_for_sweep(open_and_running.filter(due, escalation_level__lt=level))
            for batch in batched(demands, SWEEP_BATCH):
                Demand.objects.filter(pk__in=[d.pk for d in batch], escalation_level__lt=level).update(
                    escalation_level=level, updated_at=now
                )
            audit_transitions(
                demands, lambda d: {"escalation_level": d.escalation_level}, {"escalation_level": level}, "escalate"
            )
            moved[level] = demands
        tell_overdue(moved)
    return sum(len(demands) for demands in moved.values())


def tell_overdue(moved: dict[int, list[Demand]]) -> None:
    """One digest per person for a sweep: the demands that reached their tier (county desk, county admin, city)."""
    digests: dict[int, dict[int, Demand]] = defaultdict(dict)
    for level, demands in moved.items():
        role, digits = ESCALATION_TIERS[level - 1]
        by_area: dict[str, list[Demand]] = defaultdict(list)
        for demand in demands:
            by_area[demand.village.code[:digits].ljust(12, "0")].append(demand)
        holders = RoleGrant.objects.filter(role=role, area__code__in=list(by_area), user__is_active=True)
        for user_id, code in holders.values_list("user_id", "area__code"):
            digests[user_id].update((demand.pk, demand) for demand in by_area[code])
    users = User.objects.in_bulk(list(digests))
    url = f"{reverse('assistance:demand-list')}?overdue=true"
    for user_id, demands in sorted(digests.items()):
        notify(
            [users[user_id]],
            title=partial(digest_title, len(demands)),
            body=partial(digest_body, list(demands.values())),
            url=url,
            kind="demand.overdue",
        )


def digest_title(count: int) -> str:
    return ngettext("%(count)d demand is overdue", "%(count)d demands are overdue", count) % {"count": count}


def digest_body(demands: list[Demand]) -> str:
    """The first titles of a digest, one a line, and how many more there are."""
    lines = [demand.title for demand in demands[:DIGEST_TITLES]]
    if len(demands) > DIGEST_TITLES:
        lines.append(_("and %(count)d more") % {"count": len(demands) - DIGEST_TITLES})
    return "\n".join(lines)


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


# --- notifications in the recipient's language ----------------------------------------------------------------


def require_workflow_role(machine, user, transition: str) -> None:
    """A role that may never do this is refused (403) before the state is looked at (which would be 409)."""
    if not (is_unrestricted(user) or granted_roles(user) & machine.transitions[transition].roles):
        raise PermissionDenied(_("Your role may not do this."))


# --- knowledge from solutions ---------------------------------------------------------------------------------


def knowledge_tokens(title: str, question: str, body: str) -> str:
    return joined_tokens(f"{title} {question} {body}")


def propose_knowledge(demand: Demand) -> KnowledgeEntry:
    """Turn a resolved demand's solution into a knowledge entry waiting for county review (called by `resolve`).

    Title, question and solution are scrubbed of personal data (sciaid.assistance.knowledge.scrub) before anyone
    reviews them; nothing is searchable until a reviewer publishes it."""
    title = scrub_for(demand, demand.title)[:200]
    question = scrub_for(demand, demand.description)
    body = scrub_for(demand, demand.solution_summary)
    entry, _created = KnowledgeEntry.objects.update_or_create(
        demand=demand,
        defaults={
            "village_id": demand.village_id,
            "specialty_id": demand.specialty_id,
            "title": title,
            "question": question,
            "body": body,
            "status": KnowledgeStatus.PENDING,
            "search_tokens": knowledge_tokens(title, question, body),
        },
    )
    return entry


@service
def publish_knowledge(
    user, entry: KnowledgeEntry, *, title: str | None = None, question: str | None = None, body: str | None = None
) -> KnowledgeEntry:
    """A reviewer of the demand's county publishes the entry, with their edits; the text is scrubbed again, so an
    edit cannot bring personal data back. The expert who wrote the solution is told."""
    require_workflow_role(KnowledgeEntry.workflow, user, "publish")
    demand = Demand.objects.select_related("village", "household", "requester", "resolved_by__user").get(
        pk=entry.demand_id
    )
    title = scrub_for(demand, require_text(entry.title if title is None else title, "title", _("Give a title.")))
    body = scrub_for(demand, require_text(entry.body if body is None else body, "body", _("Write the solution.")))
    question = scrub_for(demand, (entry.question if question is None else question).strip())
    if len(title) > 200:
        raise ValidationError({"title": _("A title has at most 200 characters.")})
    now = timezone.now()
    KnowledgeEntry.workflow.apply(
        entry,
        "publish",
        user,
        title=title,
        question=question,
        body=body,
        search_tokens=knowledge_tokens(title, question, body),
        reviewed_by_id=user.pk,
        reviewed_at=now,
        published_at=now,
        dismiss_reason="",
        updated_at=now,
    )
    if demand.resolved_by_id and demand.resolved_by.user_id:
        notify(
            [demand.resolved_by.user],
            title=gettext_lazy("Your solution was published as knowledge"),
            body=title,
            url=reverse("assistance:knowledge-detail", args=[entry.pk]),
            kind="knowledge.published",
        )
    return entry


@service
def dismiss_knowledge(user, entry: KnowledgeEntry, reason: str = "") -> KnowledgeEntry:
    """A reviewer dismisses the entry (not useful to others, or not safe to publish); a published one is withdrawn."""
    require_workflow_role(KnowledgeEntry.workflow, user, "dismiss")
    now = timezone.now()
    return KnowledgeEntry.workflow.apply(
        entry,
        "dismiss",
        user,
        note=(reason or "").strip(),
        dismiss_reason=(reason or "").strip(),
        reviewed_by_id=user.pk,
        reviewed_at=now,
        published_at=None,
        updated_at=now,
    )


# --- subsidy statements: county → city → province -----------------------------------------------------------------

#: Who acts on statements; the level of the area they are granted on decides what they may do (see review_levels).
STATEMENT_ROLES = SubsidyStatement.workflow.transitions["submit"].roles
#: The level that must act on a statement in each state (None: nobody, it is final).
NEXT_LEVEL = {
    StatementStatus.DRAFT: AreaLevel.COUNTY,
    StatementStatus.RETURNED: AreaLevel.COUNTY,
    StatementStatus.SUBMITTED: AreaLevel.CITY,
    StatementStatus.CITY_APPROVED: AreaLevel.PROVINCE,
    StatementStatus.APPROVED: None,
}


def review_levels(user, county: Area) -> set[int]:
    """The levels at which the user acts for this county's statements: a county admin at the level of the area
    granted (county, city or province), a platform admin at the province; operators at every level."""
    if is_unrestricted(user):
        return {AreaLevel.COUNTY, AreaLevel.CITY, AreaLevel.PROVINCE}
    levels = set()
    for grant in user_grants(user):
        if grant.role in STATEMENT_ROLES and grant.area.covers(county):
            levels.add(AreaLevel.PROVINCE if grant.role == Role.PLATFORM_ADMIN else grant.area.level)
    return levels


def prepares_statements(user) -> bool:
    """Whether the user prepares statements: a county admin granted on a county (operators too)."""
    return is_unrestricted(user) or any(
        grant.role == Role.COUNTY_ADMIN and grant.area.level == AreaLevel.COUNTY for grant in user_grants(user)
    )


def statement_url(statement: SubsidyStatement) -> str:
    return reverse("assistance:statement-detail", args=[statement.pk])


def statement_reviewers(county: Area, level: int):
    """Active admins granted on the county's area of `level` (the county itself, its city or its province)."""
    code = county.code[: {AreaLevel.PROVINCE: 2, AreaLevel.CITY: 4}.get(level, 6)].ljust(12, "0")
    roles = [Role.COUNTY_ADMIN] if level != AreaLevel.PROVINCE else [Role.COUNTY_ADMIN, Role.PLATFORM_ADMIN]
    return User.objects.filter(is_active=True, grants__role__in=roles, grants__area__code=code).distinct()


def statement_actions(user, statement: SubsidyStatement) -> set[str]:
    """What the user may do with the statement now ("recompute", "submit", "approve", "return"), so that no button
    leads to a certain refusal."""
    level = NEXT_LEVEL[statement.status]
    if level is None or level not in review_levels(user, statement.county):
        return set()
    if level == AreaLevel.COUNTY:
        return {"recompute", "submit"}
    previous = statement.submitted_by_id if level == AreaLevel.CITY else statement.city_approved_by_id
    return set() if previous == user.pk and not is_unrestricted(user) else {"approve", "return"}


def _require_level(user, statement: SubsidyStatement, action: str) -> int:
    """Refuse, with the reason, an action the statement's state or the user's level does not allow."""
    require_workflow_role(SubsidyStatement.workflow, user, "submit")
    level = NEXT_LEVEL[statement.status]
    if level is None:
        raise TransitionRefused(_("This statement is approved by the province: it is final."))
    if level == AreaLevel.COUNTY and action not in ("recompute", "submit"):
        raise TransitionRefused(_("This statement has not been submitted: there is nothing to review."))
    if level != AreaLevel.COUNTY and action in ("recompute", "submit"):
        raise TransitionRefused(
            _("This statement is under review (“%(state)s”): it changes only if it is returned.")
            % {"state": statement.get_status_display()}
        )
    if level not in review_levels(user, statement.county):
        raise PermissionDenied(
            {
                AreaLevel.COUNTY: _("Only the county prepares and submits its statement."),
                AreaLevel.CITY: _("The city reviews this statement now."),
                AreaLevel.PROVINCE: _("The province reviews this statement now."),
            }[level]
        )
    if level != AreaLevel.COUNTY and not is_unrestricted(user):
        previous = statement.submitted_by_id if level == AreaLevel.CITY else statement.city_approved_by_id
        if previous == user.pk:
            raise PermissionDenied(_("You acted on this statement at the level below: someone else reviews it."))
    return level


def _tell_statement(recipients, statement: SubsidyStatement, kind: str, message) -> None:
    county, year = str(statement.county), statement.year
    notify(
        recipients,
        title=lambda: str(message) % {"county": county, "year": year},
        body=lambda: _("Total: ¥%(total)s") % {"total": statement.total},
        url=statement_url(statement),
        kind=f"subsidy_statement.{kind}",
    )


@service
def compute_statement(user, county: Area, year: int) -> SubsidyStatement:
    """The county admin freezes the county's subsidies of `year` (services.subsidies) into a draft statement, or
    recomputes a draft or returned one; a statement under review or approved is never recomputed."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("Subsidy statements are made for a county.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    require_workflow_role(SubsidyStatement.workflow, user, "recompute")
    if AreaLevel.COUNTY not in review_levels(user, county):
        raise PermissionDenied(_("Only the county prepares and submits its statement."))
    statement, _created = SubsidyStatement.objects.get_or_create(county=county, year=year)
    statement = SubsidyStatement.objects.select_for_update().select_related("county").get(pk=statement.pk)
    _require_level(user, statement, "recompute")
    rows = subsidies(county, year)
    now = timezone.now()
    SubsidyStatement.workflow.apply(
        statement,
        "recompute",
        user,
        total=sum((row.amount for row in rows), Decimal("0.00")),
        computed_at=now,
        updated_at=now,
    )
    SubsidyStatementRow.objects.filter(statement=statement).delete()
    SubsidyStatementRow.objects.bulk_create(
        [
            SubsidyStatementRow(
                statement=statement,
                kind=RecipientKind(row.kind),
                recipient_id=row.recipient_id,
                name=row.name[:128],
                services=row.services,
                amount=row.amount,
            )
            for row in rows
        ]
    )
    return statement


@service
def submit_statement(user, statement: SubsidyStatement) -> SubsidyStatement:
    """The county admin submits the statement to the city; the city's admins are told."""
    _require_level(user, statement, "submit")
    if statement.computed_at is None:
        raise ValidationError(_("Compute the statement before submitting it."))
    now = timezone.now()
    SubsidyStatement.workflow.apply(
        statement, "submit", user, submitted_by_id=user.pk, submitted_at=now, return_reason="", updated_at=now
    )
    _tell_statement(
        statement_reviewers(statement.county, AreaLevel.CITY),
        statement,
        "submitted",
        gettext_lazy("Subsidy statement of %(county)s for %(year)s: please review"),
    )
    return statement


@service
def approve_statement(user, statement: SubsidyStatement) -> SubsidyStatement:
    """The city approves a submitted statement (the province is told), then the province approves it: final."""
    level = _require_level(user, statement, "approve")
    now = timezone.now()
    county = statement.county
    if level == AreaLevel.CITY:
        SubsidyStatement.workflow.apply(
            statement, "approve_city", user, city_approved_by_id=user.pk, city_approved_at=now, updated_at=now
        )
        recipients = statement_reviewers(county, AreaLevel.PROVINCE)
        message = gettext_lazy("Subsidy statement of %(county)s for %(year)s: approved by the city, please review")
    else:
        SubsidyStatement.workflow.apply(
            statement, "approve_province", user, approved_by_id=user.pk, approved_at=now, updated_at=now
        )
        recipients = [*statement_reviewers(county, AreaLevel.COUNTY), *statement_reviewers(county, AreaLevel.CITY)]
        message = gettext_lazy("Subsidy statement of %(county)s for %(year)s: approved by the province")
    _tell_statement(recipients, statement, "approved", message)
    return statement


@service
def return_statement(user, statement: SubsidyStatement, reason: str) -> SubsidyStatement:
    """The city (or the province) returns the statement to the county with a reason; the county may recompute
    and submit it again. The county (and, when the province returns it, the city) is told."""
    reason = require_text(reason, "reason", _("Say why the statement is returned."))
    level = _require_level(user, statement, "return")
    now = timezone.now()
    SubsidyStatement.workflow.apply(
        statement,
        "return",
        user,
        note=reason,
        return_reason=reason,
        returned_by_id=user.pk,
        returned_at=now,
        city_approved_by_id=None,
        city_approved_at=None,
        updated_at=now,
    )
    recipients = list(statement_reviewers(statement.county, AreaLevel.COUNTY))
    if level == AreaLevel.PROVINCE:
        recipients += list(statement_reviewers(statement.county, AreaLevel.CITY))
    _tell_statement(
        recipients, statement, "returned", gettext_lazy("Subsidy statement of %(county)s for %(year)s was returned")
    )
    return statement
