"""The registry (建档立卡): households and poor households, from the areas' stored statistics (`AreaStatistics`,
refreshed by `regions.refresh_statistics`). What the registry holds now: per year only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period
from sciaid.regions.models import Area, AreaStatistics
from sciaid.reports.indicators.registry import Unit, Values, as_decimal, source

HOUSEHOLDS = "regions.households"
POOR = "regions.poor_households"
LIFTED = "regions.lifted_households"


@source(
    "regions",
    monthly=False,
    indicators=[
        (HOUSEHOLDS, _("Registered households"), Unit.HOUSEHOLDS, _("Households in the registry.")),
        (POOR, _("Poor households"), Unit.HOUSEHOLDS, _("Registered households still poor.")),
        (LIFTED, _("Households lifted out of poverty"), Unit.HOUSEHOLDS, _("Registered households lifted.")),
    ],
)
def registry_figures(period: Period, counties: list[Area]) -> Values:
    """One query: the counties' own stored statistics rows."""
    rows = AreaStatistics.objects.filter(area__in=[county.pk for county in counties]).values_list(
        "area_id", "households", "poor_households", "lifted_households"
    )
    result: Values = {}
    for area_id, households, poor, lifted in rows:
        result[area_id] = {HOUSEHOLDS: as_decimal(households), POOR: as_decimal(poor), LIFTED: as_decimal(lifted)}
    return result
