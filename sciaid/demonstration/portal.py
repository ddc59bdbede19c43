"""Industrial demonstration on the public portal (`sciaid.core.portal`): the area's demonstration sites, and the
households its sites drove in the year from their stored yearly figures (`SiteFigures`, one row per site and year).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.portal import Figure, PortalFunction, PortalItem, PortalLink, PortalSection, register_portal
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.demonstration.services import public_sites

#: Sites listed in the portal's entrance.
LATEST = 3


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
    """The area's public sites, and the households they drove in the year by their stored yearly figures."""
    driven = SiteFigures.objects.filter(year=year, site__in=area_sites(area).values("pk")).aggregate(
        n=Coalesce(Sum("households_driven"), 0)
    )["n"]
    return [
        Figure(_("Demonstration sites"), area_sites(area).order_by().count()),
        Figure(_("Households driven"), driven),
    ]


class SiteSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_sites().only("pk").order_by("pk")

    def location(self, site: DemoSite) -> str:
        return reverse("demonstration:public-detail", args=[site.pk])


register_portal(PortalFunction("demonstration", 20, section=section, figures=figures, sitemaps={"sites": SiteSitemap}))
