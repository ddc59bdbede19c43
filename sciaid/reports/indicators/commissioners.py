"""S&T commissioners (科技特派员) and their workstations: selection, coverage of poor villages, services, appraisal.

Per year only: commissioners are selected, paired and appraised yearly, and their service figures are stored per
village and year (`VillageYearFigures`). Counted as the commissioners' statistics count them
(`sciaid.commissioners.statistics.services.commissioner_statistics`): the trainings and trainees of the training
events fulfilling the year's agreements are added to those of the logs. A commissioner paired in two counties counts
in each (the statistics of a city count them once; their sum over counties here may not).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period
from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.appraisals.models import Appraisal
from sciaid.commissioners.fulfilment import area_event_figures
from sciaid.commissioners.logs.models import VillageYearFigures
from sciaid.commissioners.statistics.services import with_coverage
from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.commissioners.workstations.models import Workstation
from sciaid.experts.models import Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import (
    COUNTY_DIGITS,
    Unit,
    Values,
    by_county,
    county_ids,
    merged,
    ratio,
    renamed,
    source,
)

COMMISSIONERS = "commissioners.commissioners"
POOR_VILLAGES = "commissioners.poor_villages"
COVERED = "commissioners.poor_villages_covered"
SERVICES = "commissioners.services"
TRAININGS = "commissioners.trainings"
TRAINEES = "commissioners.trainees"
HOUSEHOLDS = "commissioners.households_helped"
VARIETIES = "commissioners.new_varieties"
TECHNIQUES = "commissioners.new_techniques"
RATED = "commissioners.appraised"
EXCELLENT = "commissioners.excellent"
QUALIFIED = "commissioners.qualified"
UNQUALIFIED = "commissioners.unqualified"
WORKSTATIONS = "commissioners.workstations_filed"


@source(
    "commissioners",
    monthly=False,
    indicators=[
        (COMMISSIONERS, _("Commissioners"), Unit.PEOPLE, _("Commissioners paired with villages of the county.")),
        (POOR_VILLAGES, _("Poor villages"), Unit.VILLAGES, _("Registered poor villages.")),
        (
            COVERED,
            _("Poor villages covered"),
            Unit.VILLAGES,
            _("Poor villages a commissioner or a service team serves in the year."),
        ),
        (SERVICES, _("Commissioner services"), Unit.COUNT, _("Confirmed service logs.")),
        (
            TRAININGS,
            _("Commissioner trainings"),
            Unit.COUNT,
            _("Trainings of the confirmed logs and of the events fulfilling the agreements."),
        ),
        (TRAINEES, _("Commissioner trainees"), Unit.PEOPLE, _("Trainees of those trainings.")),
        (HOUSEHOLDS, _("Households helped"), Unit.HOUSEHOLDS, _("Households helped by confirmed logs, each once.")),
        (VARIETIES, _("New varieties introduced"), Unit.COUNT, _("New varieties of the confirmed logs.")),
        (TECHNIQUES, _("New techniques introduced"), Unit.COUNT, _("New techniques of the confirmed logs.")),
        (RATED, _("Commissioners appraised"), Unit.PEOPLE, _("Published appraisal ratings of the year.")),
        (EXCELLENT, _("Commissioners rated excellent"), Unit.PEOPLE, _("Published ratings “excellent”.")),
        (QUALIFIED, _("Commissioners rated qualified"), Unit.PEOPLE, _("Published ratings “qualified”.")),
        (UNQUALIFIED, _("Commissioners rated unqualified"), Unit.PEOPLE, _("Published ratings “unqualified”.")),
        (
            WORKSTATIONS,
            _("Workstations filed"),
            Unit.COUNT,
            _("Workstations filed by the end of the year and not revoked."),
        ),
    ],
)
def commissioner_figures(period: Period, counties: list[Area]) -> Values:
    """Seven grouped queries (pairings, coverage, stored village figures, appraisals, workstations) and the
    training events' three, whatever the number of counties."""
    year = period.year
    people = by_county(
        Pairing.objects.filter(year=year), "village__code", counties, **{COMMISSIONERS: Count("expert", distinct=True)}
    )
    villages = with_coverage(Area.objects.filter(level=AreaLevel.VILLAGE, is_poor=True), year)
    coverage = by_county(
        villages, "code", counties, **{POOR_VILLAGES: Count("pk"), COVERED: Count("pk", filter=Q(covered=True))}
    )
    stored = renamed(
        by_county(
            VillageYearFigures.objects.filter(year=year),
            "village__code",
            counties,
            **{
                name: Sum(name)
                for name in ("services", "trainings", "trainees", "households", "varieties", "techniques")
            },
        ),
        {
            "services": SERVICES,
            "trainings": TRAININGS,
            "trainees": TRAINEES,
            "households": HOUSEHOLDS,
            "varieties": VARIETIES,
            "techniques": TECHNIQUES,
        },
    )
    _add_training_events(stored, year, counties)
    ratings = by_county(
        Appraisal.objects.filter(rubric__year=year, rubric__status=RoundStatus.PUBLISHED),
        "rubric__county__code",
        counties,
        **{
            RATED: Count("pk"),
            EXCELLENT: Count("pk", filter=Q(rating=Rating.EXCELLENT)),
            QUALIFIED: Count("pk", filter=Q(rating=Rating.QUALIFIED)),
            UNQUALIFIED: Count("pk", filter=Q(rating=Rating.UNQUALIFIED)),
        },
    )
    workstations = by_county(
        Workstation.objects.filter(status=WorkstationStatus.FILED, filed_on__lt=date(year + 1, 1, 1)),
        "village__code",
        counties,
        **{WORKSTATIONS: Count("pk")},
    )
    return merged(people, coverage, stored, ratings, workstations)


def _add_training_events(values: Values, year: int, counties: list[Area]) -> None:
    """Add the trainings and trainees of the events fulfilling the year's agreements (as the statistics do): one
    call of the commissioners' own computation per province the counties lie in."""
    prefixes = county_ids(counties)
    for province_prefix in sorted({county.code[:2] for county in counties}):
        province = Area(code=province_prefix.ljust(12, "0"), level=AreaLevel.PROVINCE)
        for prefix, events in area_event_figures(province, year, AreaLevel.COUNTY).items():
            county_id = prefixes.get(prefix[:COUNTY_DIGITS])
            if county_id is None:
                continue
            row = values.setdefault(county_id, {})
            row[TRAININGS] = row.get(TRAININGS, 0) + events["trainings"]
            row[TRAINEES] = row.get(TRAINEES, 0) + events["trainees"]


ratio(
    "commissioners.coverage_rate",
    _("Poor-village coverage"),
    COVERED,
    POOR_VILLAGES,
    _("Share of the poor villages covered by commissioners."),
)
ratio(
    "commissioners.excellent_rate",
    _("Rated excellent"),
    EXCELLENT,
    RATED,
    _("Share of the appraised commissioners rated excellent."),
)
