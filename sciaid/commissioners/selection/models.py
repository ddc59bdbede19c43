"""Yearly selection (选派/认定) of S&T commissioners: a county's batch and the experts in it.

Commissioners are `experts.Expert` rows with `is_commissioner`, set through `experts.services` when a candidate is
approved; their village pairings are `experts.Pairing`.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.common import EXPERTS, MANAGERS, READERS, year_field
from sciaid.commissioners.selection.choices import BatchStatus, CandidateSource, CandidateStatus
from sciaid.core.models import BaseModel
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert
from sciaid.regions.models import Area


class Batch(BaseModel):
    """A county's yearly selection batch (选派/认定 批次): experts apply or are nominated, the county decides."""

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.OPEN)

    # Experts see the batches of the county they serve, to apply.
    scope = Scope(code_path="county__code", view=READERS | EXPERTS, change=MANAGERS)
    workflow = StateMachine(
        "status",
        [
            Transition("close", frozenset({BatchStatus.OPEN}), BatchStatus.CLOSED, MANAGERS, _("Close")),
            Transition("reopen", frozenset({BatchStatus.CLOSED}), BatchStatus.OPEN, MANAGERS, _("Reopen")),
        ],
    )

    class Meta:
        ordering = ["-year", "county__code", "-id"]
        verbose_name = _("selection batch")
        verbose_name_plural = _("selection batches")
        indexes = [models.Index(fields=["county", "year"], name="comm_batch_county_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commissioners:batch-detail", args=[self.pk])


class Candidate(BaseModel):
    """An expert in a batch: applied, nominated or on an imported roster; approval makes them a commissioner."""

    batch = models.ForeignKey(Batch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="candidates")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="candidacies")
    level = models.CharField(_("level"), max_length=16, choices=ExpertLevel.choices, default=ExpertLevel.COUNTY)
    source = models.CharField(
        _("source"), max_length=16, choices=CandidateSource.choices, default=CandidateSource.APPLIED
    )
    nominated_by = models.CharField(_("nominated by"), max_length=128, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.SUBMITTED
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    scope = Scope(code_path="batch__county__code", view=READERS, change=MANAGERS, owner_path="expert__user")
    workflow = StateMachine(
        "status",
        [
            Transition(
                "approve", frozenset({CandidateStatus.SUBMITTED}), CandidateStatus.APPROVED, MANAGERS, _("Approve")
            ),
            Transition(
                "reject", frozenset({CandidateStatus.SUBMITTED}), CandidateStatus.REJECTED, MANAGERS, _("Reject")
            ),
            Transition(
                "withdraw", frozenset({CandidateStatus.SUBMITTED}), CandidateStatus.WITHDRAWN, EXPERTS, _("Withdraw")
            ),
        ],
    )

    class Meta:
        ordering = ["batch", "expert__name", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["batch", "expert"], name="comm_candidate_once_per_batch")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.batch}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:batch-detail", args=[self.batch_id])
