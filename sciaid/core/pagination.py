"""Pagination for pages and the API. Counting every row of a province-wide list (1.5 million households) costs more
than the page itself, so counts stop at a cap and the page says "more than N" — filter to narrow the list."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

#: Rows counted at most; beyond this a list shows "more than 10,000" and its last pages are not offered.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count is exact up to COUNT_CAP rows and COUNT_CAP + 1 ("more") past it."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return min(len(rows), self.cap + 1)
        if rows.query.group_by is None and not rows.query.distinct:
            # Order does not change how many rows there are, and without it PostgreSQL counts a county's 6,000
            # demands on the village index alone (2 ms) instead of reading and sorting every row (13 ms). Grouped
            # or DISTINCT rows keep it: their ORDER BY columns are part of what makes a row.
            rows = rows.order_by()
        return rows[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        """Django's page, its rows read keys first (`keyed_slice`)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(keyed_slice(self.object_list, bottom, top), number, self)


def keyed_slice(rows, bottom: int, top: int):
    """The rows [bottom:top] of a list, found by their keys first: `… WHERE pk IN (SELECT pk … ORDER BY … LIMIT n)`.

    A plain slice joins and reads every matching row before the sort keeps 25: all 6,000 demands of a county with
    their villages and specialties (21 ms at province scale). The keys alone sort on an index that holds the sort
    column (the demands' village + submission time: 2 ms), and only the page's rows are then read and joined. The
    outer query drops the list's conditions, which its keys already meet: repeated, a scope's union would be read
    twice. One query either way. Grouped, DISTINCT, unordered and to-many-joined rows, and rows that are not model
    objects, are sliced as before."""
    query = rows.query if isinstance(rows, QuerySet) else None
    if (
        query is None
        or rows._iterable_class is not ModelIterable
        or not rows.ordered
        or query.group_by is not None
        or query.distinct
        or query.is_sliced
        or query.combinator
        or any(_to_many(join) for join in query.alias_map.values())
    ):
        return rows[bottom:top]
    page = rows.all()
    page.query.where = WhereNode()
    return page.filter(pk__in=rows.values("pk")[bottom:top])


def _to_many(join) -> bool:
    """Whether a join of the query can repeat a row (a reverse or many-to-many relation)."""
    field = getattr(join, "join_field", None)
    return bool(getattr(field, "one_to_many", False) or getattr(field, "many_to_many", False))


class Pagination(PageNumberPagination):
    """{"count", "next", "previous", "results"}, with ?page= and ?page_size= (at most 500).

    `count` is exact up to 10,000 and 10,001 beyond (meaning "more"); this class is kept apart from the viewsets
    because DRF imports it while it loads its own settings."""

    django_paginator_class = CappedPaginator
    page_size_query_param = "page_size"
    max_page_size = 500
