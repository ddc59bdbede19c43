"""Whose move a demand waits for, as one viewer reads it: the one place every list and page takes its "waiting
for …" label from.

The state says whose move it is (the triage desk, the expert, the farmer); the viewer decides whether it is "you":
the triage officer of the demand's county, the expert whose assignment waits for an answer or who serves it, the
requester's side (the requester, the farmer of the household, the village's info officer). Lists annotate each row
with the viewer's own assignment status (`with_my_assignment`, one subquery), so no row costs a query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.choices import SERVICE_STATES, TRIAGE_STATES, AssignmentStatus, DemandStatus
from sciaid.assistance.models import Assignment, Demand
from sciaid.assistance.services import speaks_for_requester
from sciaid.core.roles import Role
from sciaid.core.scoping import area_allows

#: (someone else's move, your move) for each move a demand can wait for.
LABELS = {
    "triage": (_("Waiting for triage"), _("Waiting for you to triage")),
    "accept": (_("Waiting for the expert to accept"), _("Waiting for your answer")),
    "serve": (_("Waiting for the expert's reply"), _("Waiting for your reply")),
    "farmer": (_("Waiting for the farmer"), _("Waiting for your answer")),
    "rating": (_("Waiting for the farmer's rating"), _("Waiting for your rating")),
}


@dataclass(frozen=True)
class Turn:
    """The move a demand waits for (a key of LABELS) and whether it is the viewer's."""

    move: str
    yours: bool

    @property
    def label(self) -> str:
        return LABELS[self.move][self.yours]

    def __html__(self) -> str:
        """The tag a list row or a demand's heading shows: bold when the move is the viewer's. Rendered here, not
        by an `{% include %}` per row, which cost a list of 50 demands more than its query."""
        if self.yours:
            return format_html('<b class="turn">{}</b>', self.label)
        return format_html('<span class="muted turn">{}</span>', self.label)

    # The template engine renders `{{ turn }}` through str(); the markup is safe.
    __str__ = __html__


def with_my_assignment(demands: QuerySet, user) -> QuerySet:
    """Annotate `my_assignment`: the status of the viewer's own assignment on each demand (None when they have none)."""
    mine = Assignment.objects.filter(demand=OuterRef("pk"), expert__user_id=getattr(user, "pk", None))
    return demands.annotate(my_assignment=Subquery(mine.values("status")[:1]))


def whose_turn(user, demand: Demand, my_assignment: str | None) -> Turn | None:
    """The move `demand` waits for and whether `user` is to make it; None once nobody owes it anything.

    `my_assignment` is the status of the user's own assignment on the demand (`with_my_assignment`)."""
    status = demand.status
    if status in TRIAGE_STATES:
        return Turn("triage", area_allows(user, demand.village, {Role.TRIAGE_OFFICER}))
    if status == DemandStatus.ASSIGNED:
        return Turn("accept", my_assignment == AssignmentStatus.PENDING)
    if status in SERVICE_STATES:
        if demand.paused_since is not None:
            return Turn("farmer", speaks_for_requester(user, demand))
        return Turn("serve", my_assignment == AssignmentStatus.ACCEPTED)
    if status == DemandStatus.RESOLVED:
        return Turn("rating", speaks_for_requester(user, demand))
    return None
