"""Achievement transformation on the public portal (`sciaid.core.portal`): the catalogue offered to an area.

An area's catalogue is what its county, the areas above it and (for a city or province) the counties below it
published — the same rows the public catalogue lists for `?area=<code>`. Its size is tallied per catalogue area
(`core.portal` tallies, recounted by `services.publish_achievement` and `withdraw_achievement`).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.achievements.models import Achievement
from sciaid.achievements.services import PORTAL_TALLY, public_achievements
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
from sciaid.regions.portal import area_tallies, counted, publishing_area_ids

#: Achievements listed in the portal's entrance.
LATEST = 3
#: The tally of published entries per catalogue area (its key).
CATALOGUE = "achievements_catalogue"


def catalogue(area) -> QuerySet:
    return public_achievements().filter(area_id__in=publishing_area_ids(area))


def section(area) -> PortalSection:
    latest = catalogue(area).only("title", "kind", "published_on").order_by("-published_on", "-id")[:LATEST]
    return PortalSection(
        key="achievements",
        title=_("Achievement transformation"),
        summary=_(
            "New varieties, techniques and equipment from research institutes, ready to be licensed, transferred or "
            "extended to villages, cooperatives and enterprises."
        ),
        links=(PortalLink(_("Achievement catalogue"), f"{reverse('achievements:public-list')}?area={area.code}"),),
        items=tuple(
            PortalItem(item.title, reverse("achievements:public-detail", args=[item.pk]), item.get_kind_display())
            for item in latest
        ),
    )


def figures(area, year: int) -> list[Figure]:
    """The size of the area's catalogue, of no one year: the tallies of its catalogue areas."""
    size = area_tallies(area, ALL_YEARS, [CATALOGUE], published_for=True)[CATALOGUE]
    return [Figure(_("Achievements in the catalogue"), size)]


def count_catalogue(place: Place | None) -> Counts:
    return counted(public_achievements(), place, code="area__code", **{CATALOGUE: Count("pk")})


class AchievementSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return public_achievements().only("published_on").order_by("pk")

    def location(self, item: Achievement) -> str:
        return reverse("achievements:public-detail", args=[item.pk])

    def lastmod(self, item: Achievement):
        return item.published_on


register_tally(Tally(PORTAL_TALLY, (CATALOGUE,), count=count_catalogue))
register_portal(
    PortalFunction("achievements", 30, section=section, figures=figures, sitemaps={"achievements": AchievementSitemap})
)
