"""Industrial demonstration (产业示范): sites demonstrating and the households they drove.

Per year only: a site's figures are entered per year (`SiteFigures`).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period
from sciaid.demonstration.choices import PUBLIC_STATES
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import Unit, Values, by_county, merged, source

SITES = "demonstration.sites"
DRIVEN = "demonstration.households_driven"
INCOME = "demonstration.income"


@source(
    "demonstration",
    monthly=False,
    indicators=[
        (
            SITES,
            _("Demonstration sites"),
            Unit.COUNT,
            _("Sites published (demonstrating or closed) established by the end of the year."),
        ),
        (DRIVEN, _("Households driven"), Unit.HOUSEHOLDS, _("Households the sites drove in the year.")),
        (INCOME, _("Demonstration income"), Unit.YUAN, _("Income of the sites in the year.")),
    ],
)
def demonstration_figures(period: Period, counties: list[Area]) -> Values:
    """Two grouped queries."""
    established = Q(established_year__isnull=True) | Q(established_year__lte=period.year)
    sites = by_county(
        DemoSite.objects.filter(established, status__in=PUBLIC_STATES),
        "village__code",
        counties,
        **{SITES: Count("pk")},
    )
    figures = by_county(
        SiteFigures.objects.filter(year=period.year),
        "site__village__code",
        counties,
        **{DRIVEN: Sum("households_driven"), INCOME: Sum("income")},
    )
    return merged(sites, figures)
