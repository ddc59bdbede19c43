"""The achievement catalogue, technology needs and transfers.

An achievement (a new variety, a technique, equipment, a standard, a patent) is entered by the managers of the county
(or province) where it is offered, reviewed by them and published: from then on every logged-in role of the province
reads it, and the public reads its public fields without a login (never its contact). A technology need is a county's,
cooperative's or enterprise's request for a technique, matched against the published catalogue. A transfer records an
achievement reaching a recipient; once applied it counts as a new variety or technique introduced
(`sciaid.achievements.statistics`).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.achievements.choices import (
    AchievementKind,
    Maturity,
    NeedStatus,
    RequesterKind,
    TransferMode,
    TransferStatus,
)
from sciaid.core.models import BaseModel, actor_field
from sciaid.core.publishing import PublicationStatus, publication_workflow
from sciaid.core.roles import Role
from sciaid.core.scoping import PublishedScope, Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Specialty
from sciaid.regions.models import Area, Household

#: Who enters, reviews and publishes the catalogue, and records transfers: the managers of an area.
WRITERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Who also records technology needs: the triage officer turns a farmer's demand into one.
NEED_WRITERS = WRITERS | {Role.TRIAGE_OFFICER}
#: Who reads the county's needs and transfers (and drafts of the catalogue: the supervisor only).
READERS = frozenset({Role.SUPERVISOR, Role.EXPERT, Role.TRIAGE_OFFICER})


class Achievement(BaseModel):
    """One catalogue entry. Title and owner, normalised (`title_key`, `owner_key`), are unique: the same achievement
    of the same institution is entered once. `words`, `title_pinyin` and `title_initials` are kept by the services
    for search; `contact` is for logged-in users only."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AchievementKind.choices)
    owner = models.CharField(_("owner institution"), max_length=200)
    #: The county, city or province that offers it in its catalogue and reviews it.
    area = models.ForeignKey(Area, verbose_name=_("catalogue of"), on_delete=models.PROTECT, related_name="+")
    maturity = models.CharField(_("maturity"), max_length=16, choices=Maturity.choices, default=Maturity.MATURE)
    industries = models.ManyToManyField(Specialty, verbose_name=_("applicable industries"), related_name="+")
    regions = models.ManyToManyField(
        Area, verbose_name=_("applicable regions"), blank=True, related_name="+", help_text=_("Empty: anywhere.")
    )
    transfer_modes = models.JSONField(_("transfer modes"), default=list)
    price_guide = models.CharField(_("price guide"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_on = models.DateField(_("publish date"), null=True, blank=True)
    published_by = actor_field(_("published by"))
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    title_key = models.CharField(max_length=200, editable=False)
    owner_key = models.CharField(max_length=200, editable=False)
    title_pinyin = models.CharField(_("title pinyin"), max_length=400, blank=True, editable=False)
    title_initials = models.CharField(_("title initials"), max_length=100, blank=True, editable=False)
    words = models.TextField(_("search words"), blank=True, editable=False)

    scope = PublishedScope(
        code_path="area__code",
        view=WRITERS | {Role.SUPERVISOR},
        change=WRITERS,
        published=Q(status=PublicationStatus.PUBLISHED),
    )
    workflow = publication_workflow(WRITERS, WRITERS)

    class Meta:
        ordering = ["title_pinyin", "id"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        constraints = [
            models.UniqueConstraint(fields=["title_key", "owner_key"], name="achievements_unique_title_owner"),
        ]
        indexes = [
            models.Index(fields=["status", "area"], name="achv_status_area_idx"),
            models.Index(fields=["status", "title_pinyin"], name="achv_status_pinyin_idx"),
            models.Index(fields=["status", "title_initials"], name="achv_status_initials_idx"),
            # The portal's latest entries of a province: read in this order, three rows.
            models.Index(fields=["status", "-published_on", "-id"], name="achv_portal_latest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("achievements:achievement-detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("achievements:public-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    def get_transfer_modes_display(self) -> list[str]:
        labels = dict(TransferMode.choices)
        return [str(labels.get(mode, mode)) for mode in self.transfer_modes]


class TechnologyNeed(BaseModel):
    """A county's, cooperative's or enterprise's need for a technique in a village, township or county, matched
    against the published catalogue (`sciaid.achievements.matching`)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(Specialty, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="+")
    requester_kind = models.CharField(_("requester kind"), max_length=16, choices=RequesterKind.choices)
    requester_name = models.CharField(_("requester"), max_length=200, blank=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    #: The assistance demand the need was made from (`services.need_from_source`): a plain key, since this app may
    #: not import assistance (DESIGN §4); unique, so one demand handed over twice makes one need.
    source_demand_id = models.PositiveIntegerField(
        _("source demand"), null=True, blank=True, unique=True, editable=False
    )
    status = models.CharField(_("status"), max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    matched_achievement = models.ForeignKey(
        Achievement,
        verbose_name=_("matched achievement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    words = models.TextField(_("search words"), blank=True, editable=False)

    scope = Scope(code_path="area__code", view=NEED_WRITERS | READERS, change=NEED_WRITERS)
    workflow = StateMachine(
        "status",
        [
            Transition("match", frozenset({NeedStatus.OPEN}), NeedStatus.MATCHED, NEED_WRITERS, _("Match")),
            Transition(
                "close", frozenset({NeedStatus.OPEN, NeedStatus.MATCHED}), NeedStatus.CLOSED, NEED_WRITERS, _("Close")
            ),
            Transition("reopen", frozenset({NeedStatus.CLOSED}), NeedStatus.OPEN, NEED_WRITERS, _("Reopen")),
        ],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("technology need")
        verbose_name_plural = _("technology needs")
        indexes = [models.Index(fields=["status", "area"], name="achv_need_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("achievements:need-detail", args=[self.pk])


class Transfer(BaseModel):
    """An achievement reaching a recipient (an organisation, or a village) by a transfer mode, from negotiation to
    its evaluation. `area` is where it is applied: the recipient's village, township or county."""

    achievement = models.ForeignKey(
        Achievement, verbose_name=_("achievement"), on_delete=models.PROTECT, related_name="transfers"
    )
    need = models.ForeignKey(
        TechnologyNeed,
        verbose_name=_("technology need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("transfer mode"), max_length=16, choices=TransferMode.choices)
    contract_value = models.DecimalField(
        _("contract value (yuan)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    signed_on = models.DateField(_("date"))
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.NEGOTIATING
    )
    households_count = models.PositiveIntegerField(_("households benefiting"), default=0)
    households = models.ManyToManyField(
        Household, verbose_name=_("registered households benefiting"), blank=True, related_name="+"
    )
    evaluation_note = models.TextField(_("evaluation note"), blank=True)

    scope = Scope(code_path="area__code", view=WRITERS | READERS, change=WRITERS)
    workflow = StateMachine(
        "status",
        [
            Transition("sign", frozenset({TransferStatus.NEGOTIATING}), TransferStatus.SIGNED, WRITERS, _("Sign")),
            Transition("apply", frozenset({TransferStatus.SIGNED}), TransferStatus.APPLIED, WRITERS, _("Applied")),
            Transition(
                "evaluate", frozenset({TransferStatus.APPLIED}), TransferStatus.EVALUATED, WRITERS, _("Evaluate")
            ),
            Transition(
                "cancel",
                frozenset({TransferStatus.NEGOTIATING, TransferStatus.SIGNED}),
                TransferStatus.CANCELLED,
                WRITERS,
                _("Cancel"),
            ),
        ],
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(condition=Q(contract_value__gte=0), name="achievements_value_not_negative")
        ]
        indexes = [
            models.Index(fields=["status", "applied_on"], name="achv_transfer_applied_idx"),
            models.Index(fields=["area", "signed_on"], name="achv_transfer_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.achievement} → {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("achievements:transfer-detail", args=[self.pk])
