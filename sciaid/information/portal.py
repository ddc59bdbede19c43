"""The information service on the public portal (`sciaid.core.portal`): the area's latest news, notices and
policies, and the way to its market prices.

An area's items are those published for it, for the areas above it and (for a city or province) for the counties
below it — the rows the public news list shows for `?area=<code>`. Items published are tallied per area and year
(`core.portal` tallies, recounted by `services.publish_item` and `withdraw_item`).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.portal import (
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
from sciaid.information.models import NewsItem
from sciaid.information.services import PORTAL_TALLY, public_items
from sciaid.regions.portal import area_tallies, counted, publishing_area_ids

#: Items listed in the portal's entrance.
LATEST = 4
#: The tally of items published per area and year (its key).
NEWS = "information_news"


def area_items(area) -> QuerySet:
    return public_items().filter(area_id__in=publishing_area_ids(area))


def section(area) -> PortalSection:
    latest = area_items(area).only("title", "category", "published_on").order_by("-published_on", "-id")[:LATEST]
    return PortalSection(
        key="information",
        title=_("Information service"),
        summary=_("News, policies and notices of science and technology poverty alleviation, and market prices."),
        links=(
            PortalLink(_("News and notices"), f"{reverse('information:public-list')}?area={area.code}"),
            PortalLink(_("Market prices"), f"{reverse('information:public-prices')}?area={area.code}"),
        ),
        items=tuple(
            PortalItem(
                item.title,
                reverse("information:public-detail", args=[item.pk]),
                f"{item.get_category_display()} · {item.published_on:%Y-%m-%d}",
            )
            for item in latest
        ),
    )


def figures(area, year: int) -> list[Figure]:
    """Items published in the year for the area: the tallies of the areas publishing for it."""
    return [Figure(_("News and notices published"), area_tallies(area, year, [NEWS], published_for=True)[NEWS])]


def count_news(place: Place | None) -> Counts:
    return counted(public_items(), place, code="area__code", day="published_on", **{NEWS: Count("pk")})


class NewsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet:
        return public_items().only("published_on").order_by("pk")

    def location(self, item: NewsItem) -> str:
        return reverse("information:public-detail", args=[item.pk])

    def lastmod(self, item: NewsItem):
        return item.published_on


register_tally(Tally(PORTAL_TALLY, (NEWS,), count=count_news))
register_portal(PortalFunction("information", 50, section=section, figures=figures, sitemaps={"news": NewsSitemap}))
