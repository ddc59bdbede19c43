"""A demand handed over to another app, which makes its own record of it (a technology need, registered by
achievements): what the demand's page offers and shows. The registry is `sciaid.core.handoffs`, since assistance and
the apps that receive sit in the same layer and may not import each other; handing over itself is
`services.hand_over`.

Only the county's triage desk hands a demand over, while it still routes it (submitted, classified, or declined back
to triage). The demand keeps its state: it may still be served by an expert, the new record follows its own course.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from sciaid.assistance.choices import TRIAGE_STATES
from sciaid.assistance.models import TRIAGERS, Demand
from sciaid.core.handoffs import Handoff, Source, handoffs
from sciaid.core.scoping import area_allows

#: The kind under which receiving apps register (`sciaid.core.handoffs.register_handoff`).
KIND = "assistance.demand"
#: While the desk still routes the demand it may hand it over.
HANDOFF_STATES = TRIAGE_STATES


@dataclass(frozen=True)
class Handed:
    """A record made from the demand by `handoff`; `created` is False when it had been made before."""

    handoff: Handoff
    record: models.Model
    created: bool = False

    @property
    def what(self) -> str:
        """The kind of record made ("technology need"), for the demand's page."""
        return str(self.record._meta.verbose_name)


def source_of(demand: Demand) -> Source:
    """The facts of the demand a receiving app makes its record from (never the demand itself)."""
    label = _("Demand no. %(pk)d: %(title)s") % {"pk": demand.pk, "title": demand.title}
    return Source(
        pk=demand.pk,
        title=demand.title,
        text=demand.description,
        area=demand.village,
        label=label,
        industry=demand.specialty,
    )


def may_hand_over(user, demand: Demand) -> bool:
    """The triage desk of the demand's county (or above) may hand it over; any state is checked separately."""
    return area_allows(user, demand.village, TRIAGERS)


def handed(demand: Demand) -> list[Handed]:
    """The records already made from the demand, one query per registered handoff (there are one or two)."""
    made = ((handoff, handoff.made_from(demand.pk)) for handoff in handoffs(KIND))
    return [Handed(handoff, record) for handoff, record in made if record is not None]


def offered(user, demand: Demand, done: list[Handed]) -> list[Handoff]:
    """The handoffs the user may make of the demand now: not yet made (`done`, from `handed`), the demand still in
    triage, and the receiving app would accept it from this user."""
    if demand.status not in HANDOFF_STATES or not may_hand_over(user, demand):
        return []
    made = {item.handoff.name for item in done}
    source = source_of(demand)
    return [h for h in handoffs(KIND) if h.name not in made and h.may_offer(user, source)]
