"""Every change to selection batches and their candidates goes through these functions.

Each checks the acting user's role and jurisdiction, validates, and writes in one transaction with its audit entry.
Approval makes the expert a commissioner through `sciaid.experts.services.mark_commissioner`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.commissioners.common import MANAGERS, own_expert, require_area
from sciaid.commissioners.selection.choices import BatchStatus, CandidateSource, CandidateStatus
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.core.roles import Role
from sciaid.core.services import service
from sciaid.experts.models import Expert
from sciaid.experts.services import mark_commissioner
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: Who nominates an expert into a batch: the county itself or an applicant organisation of the county.
NOMINATORS = MANAGERS | {Role.APPLICANT}


@service
def open_batch(user, *, county: Area, year: int, title: str, closes_on: date | None = None, notes: str = "") -> Batch:
    """A county opens its yearly selection batch; applications and nominations go into it until it is closed."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("Selection batches are opened by a county.")})
    require_area(user, county)
    batch = Batch(county=county, year=year, title=title.strip(), closes_on=closes_on, notes=notes)
    batch.full_clean()
    batch.save()
    return batch


@service
def close_batch(user, batch: Batch) -> Batch:
    return Batch.workflow.apply(batch, "close", user)


@service
def reopen_batch(user, batch: Batch) -> Batch:
    """Reopen a closed batch for late applications and nominations."""
    return Batch.workflow.apply(batch, "reopen", user)


def _require_open(batch: Batch) -> None:
    if batch.status != BatchStatus.OPEN:
        raise ValidationError(_("This batch is closed."))


def _enter(batch: Batch, expert: Expert, **fields) -> Candidate:
    if Candidate.objects.filter(batch=batch, expert=expert).exists():
        raise ValidationError(_("%(expert)s is already in this batch.") % {"expert": expert.name})
    candidate = Candidate(batch=batch, expert=expert, level=expert.level, **fields)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ValidationError(_("%(expert)s is already in this batch.") % {"expert": expert.name}) from None
    return candidate


@service
def apply(user, batch: Batch, statement: str = "") -> Candidate:
    """An expert applies to be selected in an open batch of a county they may see."""
    expert = own_expert(user)
    if not Batch.objects.for_user(user).filter(pk=batch.pk).exists():
        raise PermissionDenied(_("This batch is outside your jurisdiction."))
    _require_open(batch)
    return _enter(batch, expert, source=CandidateSource.APPLIED, statement=statement)


@service
def nominate(user, batch: Batch, expert: Expert, *, nominated_by: str = "", statement: str = "") -> Candidate:
    """The county, or an applicant organisation of the county, nominates an expert into an open batch."""
    require_area(user, batch.county, NOMINATORS)
    _require_open(batch)
    if not Expert.objects.filter(pk=expert.pk, is_active=True).exists():
        raise ValidationError({"expert": _("Only active experts can be nominated.")})
    return _enter(
        batch,
        expert,
        source=CandidateSource.NOMINATED,
        nominated_by=nominated_by.strip() or expert.organisation,
        statement=statement,
    )


@service
def decide(user, candidate: Candidate, *, approve: bool, reason: str = "") -> Candidate:
    """The county approves or rejects a candidate; a rejection needs a reason the expert can read."""
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the candidate is rejected.")})
    name = "approve" if approve else "reject"
    Candidate.workflow.apply(candidate, name, user, reason=reason.strip(), decided_at=timezone.now())
    if approve:
        mark_commissioner(user, candidate.expert, selected_by=candidate.batch.county)
    return candidate


@service
def withdraw(user, candidate: Candidate) -> Candidate:
    if candidate.expert.user_id != user.pk:
        raise PermissionDenied(_("Only the candidate may withdraw."))
    return Candidate.workflow.apply(candidate, "withdraw", user)


@service
def enter_roster(user, batch: Batch, experts: Iterable[tuple[Expert, str]]) -> tuple[int, int]:
    """Put a county's decided roster into the batch as approved candidates; experts already in it are left alone.
    Returns (created, unchanged). Called by the roster importer inside its transaction."""
    require_area(user, batch.county)
    known = set(Candidate.objects.filter(batch=batch).values_list("expert_id", flat=True))
    created = unchanged = 0
    now = timezone.now()
    for expert, nominated_by in experts:
        if expert.pk in known:
            unchanged += 1
            continue
        candidate = Candidate(
            batch=batch,
            expert=expert,
            level=expert.level,
            source=CandidateSource.ROSTER,
            nominated_by=nominated_by or expert.organisation,
            status=CandidateStatus.APPROVED,
            decided_at=now,
        )
        candidate.save()
        mark_commissioner(user, expert, selected_by=batch.county)
        known.add(expert.pk)
        created += 1
    return created, unchanged
