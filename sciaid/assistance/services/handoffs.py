"""Handing a demand over to another app (triage turns it into a technology need): the one service both the page and
the API call. What is offered is `sciaid.assistance.handoffs`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from sciaid.assistance.handoffs import HANDOFF_STATES, KIND, Handed, may_hand_over, source_of
from sciaid.assistance.models import Demand, Message
from sciaid.core import audit
from sciaid.core.handoffs import handoff
from sciaid.core.models import ChangeAction
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused


@service
def hand_over(user, demand: Demand, to: str) -> Handed:
    """Make the record `to` names of the demand (a technology need), once: handed over again, the demand gives the
    record already made, whatever its state now.

    Refused: a user not of the county's triage desk (403), an unknown name (400), a demand no longer in triage
    (409). The demand keeps its state (it may still be served); its thread and audit log say it was handed over.
    The demand's row is locked first, so two officers clicking at once make one record.
    """
    if not may_hand_over(user, demand):
        raise PermissionDenied(_("Only the county's triage desk hands a demand over."))
    chosen = handoff(KIND, to or "")
    if chosen is None:
        raise ValidationError({"to": _("A demand cannot be handed over as “%(name)s”.") % {"name": to}})
    status = Demand.objects.select_for_update().filter(pk=demand.pk).values_list("status", flat=True).get()
    made = chosen.made_from(demand.pk)
    if made is not None:
        return Handed(chosen, made)
    if status not in HANDOFF_STATES:
        raise TransitionRefused(_("Only a demand still in triage is handed over."))
    record = chosen.make(user, source_of(demand))
    note = _("%(action)s: %(record)s") % {"action": chosen.label, "record": record}
    Message.objects.create(demand=demand, author=user, text=note)
    after = {"handoff": chosen.name, "record": f"{record._meta.label_lower}:{record.pk}"}
    audit.record(demand, ChangeAction.UPDATE, None, after, note=note)
    return Handed(chosen, record, created=True)
