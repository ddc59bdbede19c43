"""The yearly commissioner appraisal (绩效考核): a county's rubric and round, and one sheet per commissioner."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.common import EXPERTS, MANAGERS, READERS, year_field
from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.core.states import StateMachine, Transition
from sciaid.experts.models import Expert
from sciaid.regions.models import Area


class AppraisalRubric(BaseModel):
    """A county's yearly commissioner appraisal (绩效考核): the rubric, and the state of the round.

    Four components, each scored 0–100 and weighted (weights sum to 100): service volume (confirmed service logs
    against `volume_target`), effect (the ratings and call-backs of the demands the commissioner served), village
    opinion and a manual score. The total rates a commissioner excellent from `excellent_from`, qualified from
    `qualified_from`; `excellent_quota` (percent) caps how many may be excellent, best totals first.
    """

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    weight_volume = models.PositiveSmallIntegerField(
        _("weight: service volume"), default=40, validators=[MaxValueValidator(100)]
    )
    weight_effect = models.PositiveSmallIntegerField(
        _("weight: effect"), default=20, validators=[MaxValueValidator(100)]
    )
    weight_opinion = models.PositiveSmallIntegerField(
        _("weight: village opinion"), default=20, validators=[MaxValueValidator(100)]
    )
    weight_manual = models.PositiveSmallIntegerField(
        _("weight: manual score"), default=20, validators=[MaxValueValidator(100)]
    )
    volume_target = models.PositiveSmallIntegerField(
        _("confirmed services for full marks"), default=12, validators=[MinValueValidator(1)]
    )
    excellent_from = models.DecimalField(
        _("excellent from (score)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("85.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    qualified_from = models.DecimalField(
        _("qualified from (score)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    excellent_quota = models.PositiveSmallIntegerField(
        _("excellent at most (per cent of commissioners)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for no quota."),
    )
    status = models.CharField(_("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope = Scope(code_path="county__code", view=READERS, change=MANAGERS)
    workflow = StateMachine(
        "status",
        [
            Transition(
                "compute",
                frozenset({RoundStatus.DRAFT, RoundStatus.COMPUTED}),
                RoundStatus.COMPUTED,
                MANAGERS,
                _("Compute"),
            ),
            Transition("review", frozenset({RoundStatus.COMPUTED}), RoundStatus.REVIEWED, MANAGERS, _("Mark reviewed")),
            Transition("reopen", frozenset({RoundStatus.REVIEWED}), RoundStatus.COMPUTED, MANAGERS, _("Reopen")),
            Transition("publish", frozenset({RoundStatus.REVIEWED}), RoundStatus.PUBLISHED, MANAGERS, _("Publish")),
        ],
    )

    class Meta:
        ordering = ["-year", "county__code"]
        verbose_name = _("appraisal rubric")
        verbose_name_plural = _("appraisal rubrics")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="comm_appraisal_rubric_once_a_year")]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:appraisal-rubric", args=[self.pk])

    @property
    def weights(self) -> dict[str, int]:
        return {
            "volume": self.weight_volume,
            "effect": self.weight_effect,
            "opinion": self.weight_opinion,
            "manual": self.weight_manual,
        }

    def clean(self) -> None:
        if sum(self.weights.values()) != 100:
            raise ValidationError({"weight_manual": _("The four weights must add up to 100.")})
        thresholds = (self.qualified_from, self.excellent_from)
        if None not in thresholds and thresholds[0] > thresholds[1]:
            raise ValidationError({"qualified_from": _("The qualified threshold cannot be above the excellent one.")})


def own_published_sheet(user, grant) -> Q:
    """A commissioner sees their own appraisal sheets, once the county has published them."""
    return Q(expert__user_id=user.pk, rubric__status=RoundStatus.PUBLISHED)


class Appraisal(BaseModel):
    """One commissioner's appraisal sheet for a county's year: the figures, component scores, total and rating."""

    rubric = models.ForeignKey(
        AppraisalRubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="sheets"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("commissioner"), on_delete=models.PROTECT, related_name="+")
    villages = models.PositiveSmallIntegerField(_("villages paired"), default=0)
    services = models.PositiveIntegerField(_("confirmed services"), default=0)
    demands_served = models.PositiveIntegerField(_("demands served"), default=0)
    mean_rating = models.DecimalField(_("mean rating"), max_digits=3, decimal_places=2, null=True, blank=True)
    callbacks = models.PositiveIntegerField(_("call-backs"), default=0)
    satisfied_callbacks = models.PositiveIntegerField(_("satisfied call-backs"), default=0)
    volume_score = models.DecimalField(_("service volume score"), max_digits=5, decimal_places=2, default=0)
    effect_score = models.DecimalField(_("effect score"), max_digits=5, decimal_places=2, default=0)
    opinion_score = models.DecimalField(
        _("village opinion score"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    manual_score = models.DecimalField(
        _("manual score"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope = Scope(
        code_path="rubric__county__code",
        view=READERS | EXPERTS,
        change=MANAGERS,
        narrowed={Role.EXPERT: own_published_sheet},
    )

    class Meta:
        ordering = ["rubric", "rank", "id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [models.UniqueConstraint(fields=["rubric", "expert"], name="comm_appraisal_once")]
        indexes = [models.Index(fields=["rubric", "rating"], name="comm_appraisal_rating_idx")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.rubric}"

    def get_absolute_url(self) -> str:
        return reverse("commissioners:appraisal-detail", args=[self.pk])
