"""After the service: the requester rates (closing the demand) or the desk closes it, the farmer is called back (回访)
and the county judges whether the service was valid."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from sciaid.assistance.choices import AssignmentStatus
from sciaid.assistance.models import JUDGEMENT_CRITERIA, Assignment, Demand
from sciaid.assistance.services.common import require_role, require_text, speaks_for_requester, touched
from sciaid.assistance.services.dates import step_moment
from sciaid.assistance.services.records import refresh_demand_records
from sciaid.core.services import service

# --- closing, call-back and judgement ---------------------------------------------------------------------------


@service
def rate(user, demand: Demand, rating: int, comment: str = "", *, occurred_on: date | None = None) -> Demand:
    """The requester (or the village info officer for them) rates the service 1–5, which closes the demand;
    `occurred_on` dates a rating collected earlier (satisfaction then counts in that period)."""
    if not speaks_for_requester(user, demand):
        raise PermissionDenied(_("Only the requester or the village's info officer rates the service."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    at = step_moment(occurred_on, demand.resolved_at)
    rated = Demand.workflow.apply(
        demand, "rate", user, rating=rating, rating_comment=comment.strip(), rated_at=at, closed_at=at, **touched()
    )
    Assignment.objects.filter(demand=demand, status=AssignmentStatus.ACCEPTED).update(rating=rating)
    refresh_demand_records(demand)
    return rated


@service
def close(user, demand: Demand, *, occurred_on: date | None = None) -> Demand:
    """The county desk closes a resolved demand without waiting for a rating."""
    require_role(user, "close")
    closed_at = step_moment(occurred_on, demand.resolved_at)
    return Demand.workflow.apply(demand, "close", user, closed_at=closed_at, **touched())


@service
def callback(user, demand: Demand, *, answer: str, satisfied: bool, occurred_on: date | None = None) -> Demand:
    """Record the call-back (回访): what the farmer said about the service, and whether they were satisfied."""
    require_role(user, "callback")
    answer = require_text(answer, "answer", _("Write down the farmer's answer."))
    return Demand.workflow.apply(
        demand,
        "callback",
        user,
        called_at=step_moment(occurred_on, demand.resolved_at),
        called_by_id=user.pk,
        callback_answer=answer,
        callback_satisfied=bool(satisfied),
        **touched(),
    )


@service
def judge(
    user, demand: Demand, *, valid: bool, note: str = "", occurred_on: date | None = None, **criteria: bool
) -> Demand:
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
        judged_at=step_moment(occurred_on, demand.closed_at),
        **values,
        **touched(),
    )
