"""The information service on the public portal (`sciaid.core.portal`): the area's latest news, notices and
policies, and the way to its market prices.

An area's items are those published for it, for the areas above it and (for a city or province) for the counties
below it — the rows the public news list shows for `?area=<code>`.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.portal import Figure, PortalFunction, PortalItem, PortalLink, PortalSection, register_portal
from sciaid.information.models import NewsItem
from sciaid.information.services import public_items
from sciaid.regions.chooser import publishing_areas

#: Items listed in the portal's entrance.
LATEST = 4


def area_items(area) -> QuerySet:
    return public_items().filter(area_id__in=publishing_areas(area))


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
    """Items published in the year for the area: one count on the (status, area) index."""
    count = area_items(area).filter(published_on__year=year).order_by().count()
    return [Figure(_("News and notices published"), count)]


class NewsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet:
        return public_items().only("published_on").order_by("pk")

    def location(self, item: NewsItem) -> str:
        return reverse("information:public-detail", args=[item.pk])

    def lastmod(self, item: NewsItem):
        return item.published_on


register_portal(PortalFunction("information", 50, section=section, figures=figures, sitemaps={"news": NewsSitemap}))
