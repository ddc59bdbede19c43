"""API pagination, kept apart from the viewsets because DRF imports it while it loads its own settings."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """{"count", "next", "previous", "results"}, with ?page= and ?page_size= (at most 500)."""

    page_size_query_param = "page_size"
    max_page_size = 500
