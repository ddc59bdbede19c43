"""What every step of a demand's journey shares: who is told (the desk, the requester's side), who speaks for
the farmer, role and text checks, and the fields a conditional UPDATE sets itself."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.accounts.models import User
from sciaid.assistance.models import Assignment, Demand
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import area_allows, granted_roles, is_unrestricted
from sciaid.core.states import TransitionRefused
from sciaid.core.text import joined_tokens
from sciaid.regions.models import Area


def demand_url(demand: Demand) -> str:
    return reverse("assistance:demand-detail", args=[demand.pk])


def search_text(demand: Demand) -> str:
    return joined_tokens(f"{demand.title} {demand.description}")


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


def touched() -> dict:
    """Fields a conditional UPDATE must set itself (no save() runs)."""
    return {"updated_at": timezone.now()}


def require_workflow_role(machine, user, transition: str) -> None:
    """A role that may never do this is refused (403) before the state is looked at (which would be 409)."""
    if not (is_unrestricted(user) or granted_roles(user) & machine.transitions[transition].roles):
        raise PermissionDenied(_("Your role may not do this."))
