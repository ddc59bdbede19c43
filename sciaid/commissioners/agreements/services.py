"""Every change to assistance agreements goes through these functions: drafting, changing the terms, signing
(with the signed scan), fulfilling and terminating; each checked, validated and audited in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.common import require_area, require_change
from sciaid.commissioners.teams.models import Team
from sciaid.core import audit
from sciaid.core.models import ChangeAction
from sciaid.core.services import service
from sciaid.experts.models import Pairing
from sciaid.regions.models import Area

AGREEMENT_FIELDS = frozenset(
    {
        "starts_on",
        "ends_on",
        "duties",
        "target_trainings",
        "target_trainees",
        "target_varieties",
        "target_techniques",
        "target_households",
    }
)


@service
def save_agreement(
    user,
    *,
    instance: Agreement | None = None,
    pairing: Pairing | None = None,
    team: Team | None = None,
    village: Area | None = None,
    **fields,
) -> Agreement:
    """Draft an agreement for a pairing (its village and year) or for a team (one of its villages), or change a
    draft or signed one's term, duties and targets."""
    unknown = set(fields) - AGREEMENT_FIELDS
    if unknown:
        raise ValueError(f"not agreement fields: {sorted(unknown)}")
    agreement = instance or Agreement()
    if instance is not None:
        require_change(user, instance)
        if instance.status not in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
            raise ValidationError(_("A fulfilled or terminated agreement cannot be changed."))
    else:
        _set_party(agreement, pairing, team, village)
        require_area(user, agreement.village)
    for key, value in fields.items():
        setattr(agreement, key, value)
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("The term ends before it starts.")})
    agreement.full_clean(exclude=["scan"])
    agreement.save()
    return agreement


def _set_party(agreement: Agreement, pairing: Pairing | None, team: Team | None, village: Area | None) -> None:
    if (pairing is None) == (team is None):
        raise ValidationError(_("An agreement is made either for a pairing or for a team."))
    if pairing is not None:
        agreement.pairing, agreement.expert = pairing, pairing.expert
        agreement.village_id, agreement.year = pairing.village_id, pairing.year
        agreement.village = pairing.village
        return
    if village is None or not team.villages.filter(pk=village.pk).exists():
        raise ValidationError({"village": _("Choose one of the villages the team serves.")})
    agreement.team, agreement.village, agreement.year = team, village, team.year


@service
def sign_agreement(user, agreement: Agreement, *, signed_on: date, scan=None) -> Agreement:
    """Record the signature (date, and the signed scan when there is one)."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    if scan is not None:
        attach_scan(user, agreement, scan)
    return Agreement.workflow.apply(agreement, "sign", user, signed_on=signed_on)


@service
def attach_scan(user, agreement: Agreement, scan) -> Agreement:
    """Attach (or replace) the signed agreement's scan: a PDF or picture, at most 10 MB."""
    require_change(user, agreement)
    name = (getattr(scan, "name", "") or "").lower()
    if not name.endswith((".pdf", ".jpg", ".jpeg", ".png")):
        raise ValidationError({"scan": _("Attach the scan as PDF, JPEG or PNG.")})
    if scan.size > 10 * 1024 * 1024:
        raise ValidationError({"scan": _("The scan may be at most 10 MB.")})
    extension = name.rsplit(".", 1)[-1]
    agreement.scan.save(f"agreement-{agreement.pk}.{extension}", scan, save=False)
    Agreement.objects.filter(pk=agreement.pk).update(scan=agreement.scan.name)
    audit.record(agreement, ChangeAction.UPDATE, {}, {"scan": "attached"})
    return agreement


@service
def fulfil_agreement(user, agreement: Agreement) -> Agreement:
    return Agreement.workflow.apply(agreement, "fulfil", user)


@service
def terminate_agreement(user, agreement: Agreement, reason: str) -> Agreement:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the agreement is terminated.")})
    return Agreement.workflow.apply(agreement, "terminate", user, termination_reason=reason.strip())
