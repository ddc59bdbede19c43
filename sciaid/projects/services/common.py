"""What every step of a project's life shares: how refusals are raised, amounts and texts checked, uploads
checked, and the people concerned told."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.assistance.services import people
from sciaid.core.notifications import Text, notify
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.core.states import StateMachine, TransitionRefused
from sciaid.projects.models import Project

CENT = Decimal("0.01")
ATTACHMENT_TYPES = frozenset({"pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"})
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def project_url(project: Project) -> str:
    return reverse("projects:project-detail", args=[project.pk])


def managers_of(project: Project):
    """The county admins who run this project's county."""
    return people(Role.COUNTY_ADMIN, [project.county.code])


def tell(recipients, project: Project, kind: str, title: Text, url: str = "") -> None:
    """Notify the recipients about this project, each in their own language (pass `title` as gettext_lazy, never
    eagerly translated: the acting user's language is not the recipients')."""
    notify(recipients, title=title, body=project.title, url=url or project_url(project), kind=f"project.{kind}")


def require_role(user, workflow: StateMachine, transition: str) -> None:
    """A wrong role is refused before anything else (403), whatever state the record is in (which would be 409)."""
    roles = workflow.transitions[transition].roles
    if not (is_unrestricted(user) or granted_roles(user) & roles):
        raise PermissionDenied(_("Your role may not do this."))


def require_state(project: Project, transition: str) -> None:
    """Refuse (409) a step the project's state does not allow before looking at the data (which would be 400)."""
    if project.status not in Project.workflow.transitions[transition].sources:
        raise TransitionRefused(
            _("This cannot be done now: the project is “%(state)s”.") % {"state": project.get_status_display()}
        )


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def to_amount(value, field: str) -> Decimal:
    """Yuan with at most two decimals, never negative."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give the amount in yuan, e.g. 1200.50.")}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e12"):
        raise ValidationError({field: _("Give the amount in yuan with at most two decimal places.")})
    return amount.quantize(CENT)


def touch(user) -> dict:
    """What an action that keeps the state still writes (a conditional UPDATE runs no save())."""
    return {"updated_at": timezone.now(), "updated_by_id": getattr(user, "pk", None)}


def is_applicant_of(user, project: Project) -> bool:
    return project.applicant_id == getattr(user, "pk", None)


def require_own(user, project: Project) -> None:
    """Steps that only the declaring organisation's own login takes."""
    if not is_applicant_of(user, project):
        raise PermissionDenied(_("Only the applicant who declared this project may do this."))


def clean_upload(upload, field: str = "file") -> None:
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError({field: _("Attach a PDF, image, Word or Excel file.")})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({field: _("The file is larger than 20 MB.")})
