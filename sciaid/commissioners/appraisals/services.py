"""The yearly commissioner appraisal: a county sets the rubric, computes every paired commissioner's sheet from the
year's data, enters the village opinion and manual scores, reviews and publishes. The effect of a commissioner's
service is read from the demands they served (sciaid.assistance), their volume from the confirmed service logs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.accounts.models import User
from sciaid.assistance.choices import SERVED_STATES
from sciaid.assistance.models import Demand
from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.appraisals.models import Appraisal, AppraisalRubric
from sciaid.commissioners.common import paired_villages, require_area, require_change, require_county
from sciaid.commissioners.logs.choices import LogStatus
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.commissioners.teams.models import TeamMember
from sciaid.core.notifications import notify
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.regions.models import Area

CENT = Decimal("0.01")
HUNDRED = Decimal("100")

RUBRIC_FIELDS = (
    "weight_volume",
    "weight_effect",
    "weight_opinion",
    "weight_manual",
    "volume_target",
    "excellent_from",
    "qualified_from",
    "excellent_quota",
)


@service
def save_appraisal_rubric(user, *, county: Area, year: int, instance: AppraisalRubric | None = None, **fields):
    """Create or change a county's yearly rubric (weights summing to 100, thresholds, quota) before review."""
    rubric = instance or AppraisalRubric.objects.filter(county=county, year=year).first() or AppraisalRubric()
    if rubric.status in (RoundStatus.REVIEWED, RoundStatus.PUBLISHED):
        raise ValidationError(_("The appraisal has been reviewed; reopen it before changing the rubric."))
    require_area(user, require_county(county))
    if rubric.pk:
        require_change(user, rubric)
    unknown = set(fields) - set(RUBRIC_FIELDS)
    if unknown:
        raise ValueError(f"unknown rubric fields {sorted(unknown)}")
    rubric.county, rubric.year = county, year
    for name, value in fields.items():
        setattr(rubric, name, value)
    rubric.full_clean(validate_constraints=rubric.pk is None)
    rubric.save()
    if rubric.status == RoundStatus.COMPUTED:
        rate_sheets(rubric)
    return rubric


def service_volume(county: Area, year: int, expert_ids) -> dict[int, int]:
    """{expert id: confirmed service logs in the county's villages in `year`}, a team's logs counting for each of its
    members (once, even when the member wrote the log); two queries."""
    logs = ServiceLog.objects.filter(
        status=LogStatus.CONFIRMED, served_on__year=year, village__code__range=county.subtree_bounds
    )
    counts = dict.fromkeys(expert_ids, 0)
    by_team: dict[int, dict[int, int]] = {}
    for row in logs.values("expert", "team").annotate(n=Count("pk")).order_by():
        if row["expert"] in counts:
            counts[row["expert"]] += row["n"]
        if row["team"] is not None:
            by_team.setdefault(row["team"], {})[row["expert"]] = row["n"]
    members = TeamMember.objects.filter(team_id__in=by_team, expert_id__in=expert_ids).values_list("team", "expert")
    for team_id, expert_id in members:
        counts[expert_id] += sum(n for author, n in by_team[team_id].items() if author != expert_id)
    return counts


@dataclass(frozen=True)
class Effect:
    demands: int
    mean_rating: Decimal | None
    callbacks: int
    satisfied: int

    @property
    def score(self) -> Decimal | None:
        """Mean of the rating (out of 5) and the share of satisfied call-backs, as 0–100; None without evidence."""
        parts = []
        if self.mean_rating is not None:
            parts.append(self.mean_rating * 20)
        if self.callbacks:
            parts.append(Decimal(self.satisfied) * HUNDRED / self.callbacks)
        return (sum(parts) / len(parts)).quantize(CENT) if parts else None


def service_effect(county: Area, year: int, expert_ids) -> dict[int, Effect]:
    """{expert id: Effect} from the demands of the county the commissioner resolved in `year`; one query."""
    rows = (
        Demand.objects.filter(
            resolved_by_id__in=expert_ids,
            resolved_at__year=year,
            village__code__range=county.subtree_bounds,
            status__in=SERVED_STATES,
        )
        .values("resolved_by")
        .annotate(
            n=Count("pk"),
            mean=Avg("rating"),
            called=Count("pk", filter=Q(called_at__isnull=False)),
            satisfied=Count("pk", filter=Q(callback_satisfied=True)),
        )
        .order_by()
    )
    return {
        row["resolved_by"]: Effect(
            row["n"],
            None if row["mean"] is None else Decimal(str(row["mean"])).quantize(CENT, rounding=ROUND_HALF_UP),
            row["called"],
            row["satisfied"],
        )
        for row in rows
    }


@service
def compute_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    """Compute every paired commissioner's sheet from the year's data (keeping the opinion and manual scores
    already entered), then the totals and ratings. Commissioners no longer paired lose their sheet."""
    AppraisalRubric.workflow.apply(rubric, "compute", user)
    villages = paired_villages(rubric.county, rubric.year)
    ids = list(villages)
    volume = service_volume(rubric.county, rubric.year, ids)
    effects = service_effect(rubric.county, rubric.year, ids)
    rubric.sheets.exclude(expert_id__in=ids).delete()
    existing = {sheet.expert_id: sheet for sheet in rubric.sheets.all()}
    target = Decimal(rubric.volume_target)
    for expert_id in ids:
        sheet = existing.get(expert_id) or Appraisal(rubric=rubric, expert_id=expert_id)
        effect = effects.get(expert_id, Effect(0, None, 0, 0))
        sheet.villages = villages[expert_id]
        sheet.services = volume[expert_id]
        sheet.volume_score = min(HUNDRED, Decimal(sheet.services) * HUNDRED / target).quantize(CENT)
        sheet.demands_served, sheet.mean_rating = effect.demands, effect.mean_rating
        sheet.callbacks, sheet.satisfied_callbacks = effect.callbacks, effect.satisfied
        sheet.effect_score = effect.score or Decimal("0.00")
        existing[expert_id] = sheet
    new = [sheet for sheet in existing.values() if sheet.pk is None]
    Appraisal.objects.bulk_create(new)
    old = [sheet for sheet in existing.values() if sheet.pk is not None and sheet not in new]
    Appraisal.objects.bulk_update(old, COMPUTED_FIELDS)
    rate_sheets(rubric)
    return rubric


COMPUTED_FIELDS = [
    "villages",
    "services",
    "volume_score",
    "demands_served",
    "mean_rating",
    "callbacks",
    "satisfied_callbacks",
    "effect_score",
]


def sheet_total(rubric: AppraisalRubric, sheet: Appraisal) -> Decimal:
    """The weighted total; when the commissioner served no demand, the effect weight is shared by the others."""
    scores = {
        "volume": sheet.volume_score,
        "effect": sheet.effect_score if sheet.demands_served else None,
        "opinion": sheet.opinion_score,
        "manual": sheet.manual_score,
    }
    weights = {name: weight for name, weight in rubric.weights.items() if scores[name] is not None}
    total_weight = sum(weights.values())
    if not total_weight:
        return Decimal("0.00")
    weighted = sum(Decimal(weight) * Decimal(scores[name]) for name, weight in weights.items())
    return (weighted / total_weight).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_sheets(rubric: AppraisalRubric) -> None:
    """Totals, ranks and ratings of all the rubric's sheets: thresholds first, then the excellent quota (best totals
    first; at equal totals the commissioner's name decides, so the result is reproducible)."""
    sheets = list(rubric.sheets.select_related("expert"))
    for sheet in sheets:
        sheet.total = sheet_total(rubric, sheet)
    sheets.sort(key=lambda s: (-s.total, s.expert.name, s.expert_id))
    quota = len(sheets) if rubric.excellent_quota is None else len(sheets) * rubric.excellent_quota // 100
    for rank, sheet in enumerate(sheets, start=1):
        sheet.rank = rank
        if sheet.total >= rubric.excellent_from and rank <= quota:
            sheet.rating = Rating.EXCELLENT
        elif sheet.total >= rubric.qualified_from:
            sheet.rating = Rating.QUALIFIED
        else:
            sheet.rating = Rating.UNQUALIFIED
    Appraisal.objects.bulk_update(sheets, ["total", "rank", "rating"])


@service
def score_appraisal(
    user, sheet: Appraisal, *, opinion_score: Decimal, manual_score: Decimal, note: str = ""
) -> Appraisal:
    """Enter a sheet's village opinion and manual scores (0–100) while the appraisal is computed, not yet reviewed;
    totals and ratings of the whole county follow (the quota ranks everyone)."""
    require_change(user, sheet)
    rubric = AppraisalRubric.objects.select_for_update().get(pk=sheet.rubric_id)
    if rubric.status != RoundStatus.COMPUTED:
        raise TransitionRefused(_("Scores are entered after computing and before the review."))
    sheet.opinion_score, sheet.manual_score, sheet.note = opinion_score, manual_score, (note or "").strip()
    sheet.full_clean(validate_constraints=False)
    sheet.save()
    rate_sheets(rubric)
    sheet.refresh_from_db()
    return sheet


@service
def review_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    """The county has checked the sheets: scores are frozen until it reopens or publishes."""
    return AppraisalRubric.workflow.apply(rubric, "review", user)


@service
def reopen_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    return AppraisalRubric.workflow.apply(rubric, "reopen", user)


@service
def publish_appraisal(user, rubric: AppraisalRubric) -> AppraisalRubric:
    """Publish the ratings: each commissioner now sees their own sheet."""
    AppraisalRubric.workflow.apply(rubric, "publish", user, published_at=timezone.now())
    users = User.objects.filter(expert__in=rubric.sheets.values("expert"))
    notify(
        users,
        kind="appraisal.published",
        title=lambda: _("Your %(year)s appraisal is published.") % {"year": rubric.year},
        url=reverse("commissioners:appraisal-mine"),
    )
    return rubric
