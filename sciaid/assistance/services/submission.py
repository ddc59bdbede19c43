"""Submission and triage: a demand is submitted, classified, routed to experts of its county's reach, merged as a
duplicate or rejected."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.assistance.choices import OPEN_STATES, AssignmentStatus, SlaStage
from sciaid.assistance.models import Assignment, Demand
from sciaid.assistance.recommend import pairings_in_force
from sciaid.assistance.services.common import desk, require_role, require_text, search_text, tell, touched
from sciaid.assistance.services.dates import step_moment, submitted_moment
from sciaid.assistance.services.photos import attach_photos
from sciaid.assistance.services.records import refresh_demand_records, refresh_records
from sciaid.assistance.services.sla import due
from sciaid.core.privacy import optional_phone
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, may
from sciaid.core.services import service
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

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
    occurred_on: date | None = None,
    **options,
) -> Demand:
    """Record a farmer's demand, submitted by the farmer or by the village info officer for them.

    A farmer's demand always concerns their own household (and its village). A demand from a household that already
    has an open one is accepted but flagged `possible_duplicate_of` for the triage officer to merge or keep.
    `occurred_on`: the day it was really submitted, when entered later from paper (`services.dates`).
    """
    submitted_at = submitted_moment(occurred_on)
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
    if occurred_on is not None:
        # auto_now_add stamped the entry; the second save records the real date (audited as a change of it).
        demand.submitted_at = submitted_at
        demand.save(update_fields=["submitted_at"])
    attach_photos(demand, photos)
    tell(desk(demand), demand, "submitted", gettext_lazy("New demand to triage"))
    return demand


#: What a triage officer may correct when classifying.
TRIAGE_FIELDS = frozenset({"title", "description", "specialty", "urgency", "preferred_mode"})
#: The column a triage field is written to (keys, not objects, go into the conditional UPDATE and the audit log).
TRIAGE_COLUMNS = {"specialty": "specialty_id"}


@service
def triage(user, demand: Demand, *, occurred_on: date | None = None, **fields) -> Demand:
    """Classify a demand (specialty, urgency, mode) and correct its text; it stays on the triage clock."""
    require_role(user, "triage")
    triaged_at = demand.triaged_at or step_moment(occurred_on, demand.submitted_at)
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
        triaged_at=triaged_at,
        search_tokens=search_text(demand),
        **{TRIAGE_COLUMNS.get(key, key): getattr(demand, TRIAGE_COLUMNS.get(key, key)) for key in fields},
        **touched(),
    )


def experts_in_reach(demand: Demand):
    """Active experts who may serve this demand: selected by its county, city or province, or commissioners paired
    with its village (the pairings in force, `recommend.pairings_in_force`)."""
    paired = list(pairings_in_force(demand.village))
    return Expert.objects.filter(is_active=True).filter(
        Q(home_area__code__in=demand.village.ancestor_codes()) | Q(pk__in=paired)
    )


@service
def assign(user, demand: Demand, experts: Sequence[Expert], *, occurred_on: date | None = None) -> Demand:
    """Route the demand to one or more experts of its county's reach; the acceptance clock starts (from now, even
    when `occurred_on` dates the assignment earlier).

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
    assigned_at = step_moment(occurred_on, demand.triaged_at or demand.submitted_at)
    Demand.workflow.apply(
        demand,
        "assign",
        user,
        triaged_at=demand.triaged_at or assigned_at,
        assigned_at=assigned_at,
        due_at=due(SlaStage.ACCEPT, now, village=demand.village),
        escalation_level=0,
        **touched(),
    )
    for expert in chosen:
        assignment, created = Assignment.objects.get_or_create(
            demand=demand, expert=expert, defaults={"assigned_by": user}
        )
        if not created:
            assignment.status, assignment.decline_reason, assignment.assigned_by = AssignmentStatus.PENDING, "", user
            assignment.responded_at = assignment.response_seconds = None
        if occurred_on is not None:
            assignment.assigned_at = assigned_at  # response times count from when it was really assigned
        if not created or occurred_on is not None:
            assignment.save()
    refresh_records(expert.pk for expert in chosen)
    assigned = gettext_lazy("A demand was assigned to you")
    tell(User.objects.filter(expert__in=chosen), demand, "assigned", assigned, sms=True)
    return demand


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
    Demand.workflow.apply(demand, "merge", user, merged_into_id=into.pk, due_at=None, **touched())
    refresh_demand_records(demand)
    tell([demand.requester], demand, "merged", gettext_lazy("Your demand was merged with a similar one"))
    return demand


@service
def reject(user, demand: Demand, reason: str) -> Demand:
    """Reject a demand that is not a technical need, saying why; the requester is told."""
    require_role(user, "reject")
    reason = require_text(reason, "reason", _("Say why the demand is rejected."))
    Demand.workflow.apply(demand, "reject", user, note=reason, reject_reason=reason, due_at=None, **touched())
    refresh_demand_records(demand)
    tell([demand.requester], demand, "rejected", gettext_lazy("Your demand was rejected"))
    return demand
