"""Atom feeds of published news: one per county (with its city's and the province's items) and, optionally, per
category: `/news/feed/340422000000/` and `/news/feed/340422000000/notice/`. Readers without a login subscribe."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sciaid.core.scoping import PUBLIC
from sciaid.information.choices import NewsCategory
from sciaid.information.models import NewsItem
from sciaid.information.services import public_items
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

FEED_LENGTH = 30


class NewsFeed(Feed):
    """The newest published items of an area (and of one category when named)."""

    scoping = PUBLIC
    feed_type = Atom1Feed

    def get_object(self, request, code: str, category: str = ""):
        area = Area.objects.filter(code=code, level__lte=AreaLevel.COUNTY).first()
        if area is None or (category and category not in NewsCategory.values):
            raise Http404
        return area, category

    def title(self, obj) -> str:
        area, category = obj
        if category:
            return _("%(area)s: %(category)s") % {"area": area.name, "category": NewsCategory(category).label}
        return _("%(area)s: news and notices") % {"area": area.name}

    def link(self, obj) -> str:
        return f"{reverse('information:public-list')}?area={obj[0].code}"

    def subtitle(self, obj) -> str:
        return _("Published by the science and technology bureaus for %(area)s.") % {"area": obj[0].name}

    def items(self, obj):
        area, category = obj
        items = public_items(area).select_related("area")
        if category:
            items = items.filter(category=category)
        return items.order_by("-published_on", "-id")[:FEED_LENGTH]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_link(self, item: NewsItem) -> str:
        return item.get_public_url()

    def item_pubdate(self, item: NewsItem) -> datetime:
        return timezone.make_aware(datetime.combine(item.published_on, time(8)))

    def item_updateddate(self, item: NewsItem) -> datetime:
        return item.updated_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.get_category_display())]
