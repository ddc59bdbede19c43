"""Popular-science training (科普培训): trainings held, trainees, distinct trainees, satisfaction.

Read from the figures the training services store per area and year (`TrainingFigures`, `TrainingKindFigures`), the
same rows the training statistics sum (`sciaid.training.statistics.area_statistics`): per year only. Distinct
trainees add up over areas as the training statistics explain (a person's key belongs to one village).
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import Unit, Values, by_county, merged, ratio, renamed, source
from sciaid.training.models import TrainingFigures, TrainingKindFigures

TRAININGS = "training.trainings"
TRAINEES = "training.trainees"
DISTINCT = "training.distinct_trainees"
POOR = "training.poor_household_trainees"
RATINGS = "training.ratings"
SATISFIED = "training.ratings_satisfied"


@source(
    "training",
    monthly=False,
    indicators=[
        (TRAININGS, _("Trainings held"), Unit.COUNT, _("Trainings held (and reported) at venues of the county.")),
        (TRAINEES, _("Trainees"), Unit.PEOPLE, _("People of the county signed in, once per training (人次).")),
        (DISTINCT, _("Distinct trainees"), Unit.PEOPLE, _("People of the county signed in at least once (人数).")),
        (POOR, _("Poor-household trainees"), Unit.PEOPLE, _("Distinct trainees from registered poor households.")),
        (RATINGS, _("Training ratings"), Unit.COUNT, _("Trainees' ratings of their trainings.")),
        (SATISFIED, _("Training ratings satisfied"), Unit.COUNT, _("Trainees' ratings of 4 or 5.")),
    ],
)
def training_figures(period: Period, counties: list[Area]) -> Values:
    """Two grouped queries over the stored figures."""
    people = renamed(
        by_county(
            TrainingFigures.objects.filter(year=period.year),
            "area__code",
            counties,
            distinct=Sum("distinct_trainees"),
            poor=Sum("poor_household_trainees"),
            ratings=Sum("ratings"),
            satisfied=Sum("satisfied"),
        ),
        {"distinct": DISTINCT, "poor": POOR, "ratings": RATINGS, "satisfied": SATISFIED},
    )
    events = renamed(
        by_county(
            TrainingKindFigures.objects.filter(year=period.year),
            "area__code",
            counties,
            events=Sum("events"),
            trainees=Sum("trainees"),
        ),
        {"events": TRAININGS, "trainees": TRAINEES},
    )
    return merged(people, events)


ratio(
    "training.satisfaction",
    _("Training satisfaction"),
    SATISFIED,
    RATINGS,
    _("Share of the trainees' ratings that are 4 or 5."),
)
