"""The commissioners' year on the public portal (`sciaid.core.portal`): services, households helped, and the new
varieties and techniques they brought. The stored village figures (`VillageYearFigures`) are tallied per county and
year (recounted by `logs.figures.refresh_figures` whenever a village's figures are), so a province's figures sum
~200 rows, not its ~12,000 poor villages'. Commissioners have no entrance of their own: their work reaches the
public through the five functions."""

from __future__ import annotations

from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.logs.figures import PORTAL_TALLY
from sciaid.commissioners.logs.models import VillageYearFigures
from sciaid.core.portal import Counts, Figure, Place, PortalFunction, Tally, register_portal, register_tally
from sciaid.regions.portal import area_tallies, counted

#: (stored field, label) of the figures shown, in this order; each is tallied as `commissioners_<field>`.
SHOWN = (
    ("services", _("Commissioner services")),
    ("households", _("Households helped")),
    ("varieties", _("New varieties introduced")),
    ("techniques", _("New techniques introduced")),
)
KEYS = {field: f"commissioners_{field}" for field, _label in SHOWN}


def figures(area, year: int) -> list[Figure]:
    sums = area_tallies(area, year, KEYS.values())
    return [Figure(str(label), sums[KEYS[field]]) for field, label in SHOWN]


def latest_year() -> int | None:
    return VillageYearFigures.objects.aggregate(year=Max("year"))["year"]


def count_figures(place: Place | None) -> Counts:
    sums = {key: Sum(field) for field, key in KEYS.items()}
    return counted(VillageYearFigures.objects.all(), place, code="village__code", year="year", **sums)


register_tally(Tally(PORTAL_TALLY, tuple(KEYS.values()), count=count_figures))
# Beside expert assistance: commissioners are the experts who serve the poor villages.
register_portal(PortalFunction("commissioners", 15, figures=figures, latest_year=latest_year))
