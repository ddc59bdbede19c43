"""Pagination for pages and the API. Counting every row of a province-wide list (1.5 million households) costs more
than the page itself, so counts stop at a cap and the page says "more than N" — filter to narrow the list."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

#: Rows counted at most; beyond this a list shows "more than 10,000" and its last pages are not offered.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count is exact up to COUNT_CAP rows and COUNT_CAP + 1 ("more") past it."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        try:
            return self.object_list[: self.cap + 1].count()
        except (AttributeError, TypeError):
            return min(len(self.object_list), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


class Pagination(PageNumberPagination):
    """{"count", "next", "previous", "results"}, with ?page= and ?page_size= (at most 500).

    `count` is exact up to 10,000 and 10,001 beyond (meaning "more"); this class is kept apart from the viewsets
    because DRF imports it while it loads its own settings."""

    django_paginator_class = CappedPaginator
    page_size_query_param = "page_size"
    max_page_size = 500
