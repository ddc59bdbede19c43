"""The commissioners' year on the public portal (`sciaid.core.portal`): services, households helped, and the new
varieties and techniques they brought, summed from the stored village figures (`VillageYearFigures`) — one query
over at most the province's poor villages, never over the logs. Commissioners have no entrance of their own: their
work reaches the public through the five functions."""

from __future__ import annotations

from django.db.models import Max, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.logs.models import VillageYearFigures
from sciaid.core.portal import Figure, PortalFunction, register_portal

#: (stored field, label) of the figures shown, in this order.
SHOWN = (
    ("services", _("Commissioner services")),
    ("households", _("Households helped")),
    ("varieties", _("New varieties introduced")),
    ("techniques", _("New techniques introduced")),
)


def figures(area, year: int) -> list[Figure]:
    sums = VillageYearFigures.objects.filter(village__code__range=area.subtree_bounds, year=year).aggregate(
        **{field: Coalesce(Sum(field), 0) for field, _label in SHOWN}
    )
    return [Figure(str(label), sums[field]) for field, label in SHOWN]


def latest_year() -> int | None:
    return VillageYearFigures.objects.aggregate(year=Max("year"))["year"]


# Beside expert assistance: commissioners are the experts who serve the poor villages.
register_portal(PortalFunction("commissioners", 15, figures=figures, latest_year=latest_year))
