"""Industrial demonstration on the public portal (`sciaid.core.portal`): the area's demonstration sites, and the
households its sites drove in the year by their stored yearly figures (`SiteFigures`). Both are tallied per county
(`core.portal` tallies): the public sites, and their households driven per year, recounted by the services that
publish a site, move it to another village or enter its figures.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.portal import (
    ALL_YEARS,
    Counts,
    Figure,
    Place,
    PortalFunction,
    PortalItem,
    PortalLink,
    PortalSection,
    Tally,
    register_portal,
    register_tally,
)
from sciaid.demonstration.choices import PUBLIC_STATES
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.demonstration.services import FIGURES_TALLY, SITES_TALLY, public_sites
from sciaid.regions.portal import area_tallies, counted

#: Sites listed in the portal's entrance.
LATEST = 3
#: The tallies' keys: public sites (of no one year), households driven by them per year.
SITES, DRIVEN = "demonstration_sites", "demonstration_households"


def area_sites(area):
    return public_sites().filter(village__code__range=area.subtree_bounds)


def section(area) -> PortalSection:
    sites = area_sites(area).select_related("industry").only("name", "industry__name_zh", "industry__name_en")
    return PortalSection(
        key="demonstration",
        title=_("Industrial demonstration"),
        summary=_("Demonstration bases and parks show new varieties and techniques in the field and drive households."),
        links=(PortalLink(_("Demonstration sites"), f"{reverse('demonstration:public-list')}?area={area.code}"),),
        items=tuple(
            PortalItem(site.name, reverse("demonstration:public-detail", args=[site.pk]), site.industry.name)
            for site in sites.order_by("-pk")[:LATEST]
        ),
    )


def figures(area, year: int) -> list[Figure]:
    """The area's public sites, and the households they drove in the year: the tallies of its counties."""
    return [
        Figure(_("Demonstration sites"), area_tallies(area, ALL_YEARS, [SITES])[SITES]),
        Figure(_("Households driven"), area_tallies(area, year, [DRIVEN])[DRIVEN]),
    ]


def count_sites(place: Place | None) -> Counts:
    return counted(public_sites(), place, code="village__code", **{SITES: Count("pk")})


def count_driven(place: Place | None) -> Counts:
    rows = SiteFigures.objects.filter(site__status__in=PUBLIC_STATES)
    return counted(rows, place, code="site__village__code", year="year", **{DRIVEN: Sum("households_driven")})


class SiteSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_sites().only("pk").order_by("pk")

    def location(self, site: DemoSite) -> str:
        return reverse("demonstration:public-detail", args=[site.pk])


register_tally(Tally(SITES_TALLY, (SITES,), count=count_sites))
register_tally(Tally(FIGURES_TALLY, (DRIVEN,), count=count_driven))
register_portal(PortalFunction("demonstration", 20, section=section, figures=figures, sitemaps={"sites": SiteSitemap}))
