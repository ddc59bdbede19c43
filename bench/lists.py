"""Every list page and list endpoint of every app at province scale (`python -m bench --only lists`).

The lists are found in the URLconf, not listed by hand: every HTML view built on `ScopedListView` and every API
viewset's `list` route, so a new list is measured (and pinned by `sciaid/tests/test_list_query_counts.py`) without
being added anywhere. Each is fetched through the test client as the province's platform admin and as a county admin,
first page, no filter, beside its floor: the SELECT statements the same request issued (session, user and grants
included), captured once and replayed as raw SQL in the same run. What is above the floor is Python: middleware,
views, serializers, templates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.mixins import ListModelMixin

from bench.generate import bench_users
from bench.measure import WARMUP, Row, compare
from bench.reports import executable, is_select, replayed
from sciaid.core.views import ScopedListView

#: At most this many timed runs of each list: there are ~100 lists and two users.
LIST_REPEAT = 20


@dataclass(frozen=True)
class ListRoute:
    """One list: its URL name, its path, and whether it is an API endpoint (JSON) or an HTML page."""

    name: str
    path: str
    api: bool


def _patterns(patterns, namespace: str | None = None, prefix: str = "") -> Iterator[tuple[str, str, object]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), pattern.callback


def _is_list(callback) -> tuple[bool, bool]:
    """(is a list, is an API endpoint) for a resolved view."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if not isinstance(view_class, type):
        return False, False
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return actions.get("get") == "list", True
    if issubclass(view_class, ListModelMixin):
        return True, True
    return issubclass(view_class, ScopedListView), False


def list_routes() -> list[ListRoute]:
    """Every list page and list endpoint without URL arguments, in URL-name order (format-suffix routes skipped)."""
    found: dict[str, ListRoute] = {}
    for name, pattern, callback in _patterns(get_resolver().url_patterns):
        is_list, api = _is_list(callback)
        if is_list and "<" not in pattern and "(?P<" not in pattern and name not in found:
            found[name] = ListRoute(name, reverse(name), api)
    return sorted(found.values(), key=lambda route: (route.api, route.name))


def fetch(client: Client, route: ListRoute) -> Callable[[], object]:
    def get():
        return client.get(route.path, HTTP_ACCEPT="application/json") if route.api else client.get(route.path)

    return get


def listed(response) -> str:
    """How many rows an endpoint holds, as its JSON says; a page says "first page" (its HTML does not count)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return "first page"
    body = json.loads(response.content)
    count = body.get("count") if isinstance(body, dict) else len(body)
    return f"{count:,} rows" if count is not None else ""


def measure_route(client: Client, route: ListRoute, who: str, repeat: int) -> Row | str:
    """The list's row, or why it was not measured (the user may not open it)."""
    get = fetch(client, route)
    first = get()
    if first.status_code != 200:
        return f"{route.name} ({who}): {first.status_code}"
    with CaptureQueriesContext(connection) as captured:
        get()
    selects = [sql for sql in map(executable, captured.captured_queries) if is_select(sql)]
    kind = "API" if route.api else "page"
    return compare(
        f"{kind} {route.name}, {who}",
        listed(first),
        [(get, replayed(selects))] * (min(repeat, LIST_REPEAT) + WARMUP),
        note=f"{len(captured.captured_queries)} queries",
    )


def measure_lists(repeat: int, log=print) -> list[Row]:
    """Every list for the province admin and the first county's admin; the refused ones are logged, not timed."""
    admin, county_admin = bench_users()
    rows, refused = [], []
    for user, who in ((county_admin, "county admin"), (admin, "province admin")):
        client = Client()
        client.force_login(user)
        for route in list_routes():
            result = measure_route(client, route, who, repeat)
            (refused if isinstance(result, str) else rows).append(result)
    if refused:
        log(f"Not measured (the user may not open them): {'; '.join(refused)}")
    return rows
