"""The expert's work on an assigned demand: accept or decline, the conversation (with the SLA pause while the farmer
is asked), on-site visits, and the resolution."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    SERVICE_STATES,
    AssignmentStatus,
    DemandStatus,
    SlaStage,
)
from sciaid.assistance.models import REQUESTERS, Assignment, Demand, Message, SiteVisit
from sciaid.assistance.services.common import (
    desk,
    own_assignment,
    requester_side,
    require_text,
    speaks_for_requester,
    tell,
    touched,
)
from sciaid.assistance.services.dates import step_moment
from sciaid.assistance.services.knowledge import propose_knowledge
from sciaid.assistance.services.photos import attach_photos
from sciaid.assistance.services.records import refresh_demand_records, refresh_records
from sciaid.assistance.services.sla import due
from sciaid.core.calendar import WorkCalendar
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused

# --- the expert's answer ----------------------------------------------------------------------------------------


def _answer(assignment: Assignment, status: str, reason: str = "", at: datetime | None = None) -> None:
    at = at or timezone.now()
    assignment.status, assignment.decline_reason, assignment.responded_at = status, reason, at
    assignment.response_seconds = max(int((at - assignment.assigned_at).total_seconds()), 0)
    assignment.save()


@service
def accept(user, demand: Demand, *, occurred_on: date | None = None) -> Demand:
    """The expert takes the demand on; the first acceptance starts the resolution clock, later ones join in."""
    assignment = own_assignment(user, demand, status=AssignmentStatus.PENDING, lock=True)
    accepted_at = step_moment(occurred_on, assignment.assigned_at)
    _answer(assignment, AssignmentStatus.ACCEPTED, at=accepted_at)
    refresh_records([assignment.expert_id])
    if demand.status not in SERVICE_STATES:
        now = timezone.now()
        Demand.workflow.apply(
            demand,
            "accept",
            user,
            accepted_at=accepted_at,
            due_at=due(SlaStage.RESOLVE, now, village=demand.village),
            escalation_level=0,
            **touched(),
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
            **touched(),
        )
        tell(desk(demand), demand, "declined", gettext_lazy("A demand was declined and needs an expert"))
    return demand


def _start_service(user, demand: Demand) -> None:
    if demand.status == DemandStatus.ACCEPTED:
        Demand.workflow.apply(demand, "start_service", user, **touched())


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
            Demand.workflow.apply(demand, "pause", user, paused_since=timezone.now(), **touched())
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
        **touched(),
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
def resolve(user, demand: Demand, solution_summary: str, *, occurred_on: date | None = None) -> Demand:
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
        resolved_at=step_moment(occurred_on, demand.accepted_at),
        due_at=None,
        paused_since=None,
        **touched(),
    )
    refresh_demand_records(demand)
    propose_knowledge(demand)
    resolved = gettext_lazy("Your demand is resolved: please rate the service")
    tell(requester_side(demand), demand, "resolved", resolved, sms=True)
    return demand
