"""Service logs (服务记录): what a commissioner did in a village, its photos, and the village-year figures kept from
the confirmed logs.

Every record stores the village it concerns, so jurisdiction is one indexed range on the division code and the
statistics need no joins through experts.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.common import CONFIRMERS, EXPERTS, READERS, year_field
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.teams.models import Team, in_own_team
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Expert
from sciaid.regions.models import Area, Household


class ServiceLog(BaseModel):
    """One service a commissioner gave in a village (服务记录), entered in the field and confirmed on the spot.

    Households helped are picked from the registry, so a household helped by several logs counts once; helped
    households not in the registry are only counted (`other_households`). A training log linked to a training event
    counts as a service, but its training and trainees are the event's (see `sciaid.commissioners.fulfilment`).
    """

    expert = models.ForeignKey(Expert, verbose_name=_("commissioner"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="logs"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), null=True, blank=True, on_delete=models.SET_NULL, related_name="logs"
    )
    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type of service"), max_length=16, choices=ServiceKind.choices)
    served_on = models.DateField(_("date"))
    summary = models.TextField(_("what was done"))
    participants = models.PositiveIntegerField(_("participants"), default=0)
    #: The training event this log records (a commissioner's training that fulfils one of their agreements). The
    #: event is the one source of truth for such a training: its attendance counts, never this log's participants.
    #: PROTECT, so an event's deletion cannot silently bring the log's own figures back into the counts.
    training_event = models.ForeignKey(
        "training.TrainingEvent",
        verbose_name=_("training event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The training this log records: its attendance is counted instead of the participants."),
    )
    households = models.ManyToManyField(
        Household, verbose_name=_("households helped"), blank=True, related_name="commissioner_logs"
    )
    other_households = models.PositiveIntegerField(
        _("other households helped"), default=0, help_text=_("Households helped that are not in the registry.")
    )
    varieties = models.TextField(_("new varieties introduced"), blank=True, help_text=_("One per line."))
    techniques = models.TextField(_("new techniques introduced"), blank=True, help_text=_("One per line."))
    new_varieties = models.PositiveSmallIntegerField(_("number of new varieties"), default=0, editable=False)
    new_techniques = models.PositiveSmallIntegerField(_("number of new techniques"), default=0, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LogStatus.choices, default=LogStatus.SUBMITTED)
    confirmed_by = actor_field(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    return_note = models.TextField(_("why it was returned"), blank=True)
    #: Recorded by the county for the commissioner (a form, the API or the import of paper records), not by the
    #: commissioner in the field; such a log counts as confirmed by the county that entered it.
    entered_by_county = models.BooleanField(_("entered by the county"), default=False)

    scope = Scope(
        code_path="village__code",
        view=READERS | CONFIRMERS | EXPERTS,
        change=CONFIRMERS,
        owner_path="expert__user",
        narrowed={Role.EXPERT: in_own_team("team")},
    )
    workflow = StateMachine(
        "status",
        [
            Transition("confirm", frozenset({LogStatus.SUBMITTED}), LogStatus.CONFIRMED, CONFIRMERS, _("Confirm")),
            Transition(
                "return", frozenset({LogStatus.SUBMITTED}), LogStatus.RETURNED, CONFIRMERS, _("Return for correction")
            ),
            Transition("resubmit", frozenset({LogStatus.RETURNED}), LogStatus.SUBMITTED, EXPERTS, _("Resubmit")),
        ],
    )

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")
        indexes = [
            models.Index(fields=["village", "served_on"], name="comm_log_village_idx"),
            models.Index(fields=["expert", "status", "served_on"], name="comm_log_expert_idx"),
            models.Index(fields=["team", "served_on"], name="comm_log_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.village} · {self.served_on}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:log-detail", args=[self.pk])


def log_photo_path(photo: LogPhoto, filename: str) -> str:
    return f"commissioner-logs/{photo.log_id}/{filename}"


class LogPhoto(BaseModel):
    """A photo taken at the service (re-encoded without EXIF data, like demand photos)."""

    log = models.ForeignKey(ServiceLog, verbose_name=_("service log"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("image"), upload_to=log_photo_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))

    audit_exclude = ("image",)
    # Whoever sees the log sees its photos: its team's members too.
    scope = Scope(
        code_path="log__village__code",
        view=READERS | CONFIRMERS | EXPERTS,
        change=CONFIRMERS,
        owner_path="log__expert__user",
        narrowed={Role.EXPERT: in_own_team("log__team")},
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class VillageYearFigures(models.Model):
    """A village's confirmed service figures for a year, kept by the services whenever a log is confirmed.

    Households are distinct within the village, and a household belongs to one village (a log names households of
    its own village only), so summing villages gives the distinct count of any township, county or province: the
    statistics read ~12,000 rows for a province instead of aggregating a million logs.
    """

    village = models.ForeignKey(Area, verbose_name=_("village"), on_delete=models.CASCADE, related_name="+")
    year = year_field()
    services = models.PositiveIntegerField(_("confirmed services"), default=0)
    trainings = models.PositiveIntegerField(_("trainings"), default=0)
    trainees = models.PositiveIntegerField(_("trainees"), default=0)
    varieties = models.PositiveIntegerField(_("new varieties"), default=0)
    techniques = models.PositiveIntegerField(_("new techniques"), default=0)
    households = models.PositiveIntegerField(_("households helped"), default=0)

    class Meta:
        verbose_name = _("village service figures")
        verbose_name_plural = _("village service figures")
        constraints = [models.UniqueConstraint(fields=["year", "village"], name="comm_figures_once")]

    def __str__(self) -> str:
        return f"{self.village_id} · {self.year}"
