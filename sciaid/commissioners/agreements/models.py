"""Assistance agreements (帮扶协议) of a pairing or a team with one village for a year, with their targets."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.common import EXPERTS, MANAGERS, READERS, year_field
from sciaid.commissioners.teams.models import Team, in_own_team
from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.models import Area


def scan_path(agreement: Agreement, filename: str) -> str:
    return f"agreements/{agreement.village_id}/{filename}"


class Agreement(BaseModel):
    """An assistance agreement (帮扶协议) of a pairing or a team with one village for a year, with its targets.

    Progress is counted from the confirmed service logs linked to it, never stored.
    """

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    expert = models.ForeignKey(
        Expert, verbose_name=_("commissioner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    duties = models.TextField(_("duties"), blank=True)
    target_trainings = models.PositiveIntegerField(_("target: trainings"), default=0)
    target_trainees = models.PositiveIntegerField(_("target: trainees"), default=0)
    target_varieties = models.PositiveIntegerField(_("target: new varieties"), default=0)
    target_techniques = models.PositiveIntegerField(_("target: new techniques"), default=0)
    target_households = models.PositiveIntegerField(_("target: households helped"), default=0)
    scan = models.FileField(_("signed scan"), upload_to=scan_path, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    termination_reason = models.TextField(_("reason for termination"), blank=True)

    audit_exclude = ("scan",)
    scope = Scope(
        code_path="village__code",
        view=READERS | EXPERTS | {Role.INFO_OFFICER},
        change=MANAGERS,
        owner_path="expert__user",
        narrowed={Role.EXPERT: in_own_team("team")},
    )
    workflow = StateMachine(
        "status",
        [
            Transition("sign", frozenset({AgreementStatus.DRAFT}), AgreementStatus.SIGNED, MANAGERS, _("Sign")),
            Transition(
                "fulfil", frozenset({AgreementStatus.SIGNED}), AgreementStatus.FULFILLED, MANAGERS, _("Mark fulfilled")
            ),
            Transition(
                "terminate",
                frozenset({AgreementStatus.DRAFT, AgreementStatus.SIGNED}),
                AgreementStatus.TERMINATED,
                MANAGERS,
                _("Terminate"),
            ),
        ],
    )

    class Meta:
        ordering = ["-year", "village__code", "id"]
        verbose_name = _("assistance agreement")
        verbose_name_plural = _("assistance agreements")
        indexes = [models.Index(fields=["village", "year"], name="comm_agreement_village_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pairing__isnull=False) | Q(team__isnull=False), name="comm_agreement_has_party"
            )
        ]

    def __str__(self) -> str:
        party = self.team if self.team_id else self.expert
        return f"{party} · {self.village} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:agreement-detail", args=[self.pk])
