"""The public portal's plug-in point: what each service function shows a visitor without a login, for an area.

Core knows no domain (DESIGN §4), so the portal page (`sciaid.regions.portal`) only asks the registered functions.
Each app describes its function in its own `portal.py` and registers it when it starts (`AppConfig.ready()`
imports the module):

    register_portal(PortalFunction("training", 40, section=training_section, figures=training_figures,
                                   latest_year=latest_figures_year, sitemaps={"articles": ArticleSitemap}))

- `section(area)`: the function's entrance for the area — title, what it offers, links to its public pages for the
  area, a few of its latest public items; None when it has nothing to show there.
- `figures(area, year)`: its headline figures of the year for the area, read from stored statistics or indexed
  counts only: the portal home must stay fast at province scale, so never an aggregate over the raw records.
- `latest_year()`: the latest year it holds figures for; the portal shows the latest year any function has.
- `sitemaps`: Django `Sitemap` classes of its public pages, listed in /sitemap.xml.

Entrances are shown by `order`: the seeds' order of the five functions — expert assistance 10, industrial
demonstration 20, achievement transformation 30, popular-science training 40, information service 50. A function
that only adds figures (the commissioners' services) takes any order; its figures follow the same order.
`area` is whatever the portal page passes (a regions `Area`): core never looks inside it.

Tallies: what a function counts for its figures (published items, sites, the sums of its stored statistics) is kept
per area and year in `PortalTally` rows, so the figures of a province sum a few hundred rows instead of counting its
~100,000 published items on every visit. A function registers each tally with the function that counts it:

    register_tally(Tally("information", ("information_news",), count=count_news))

`count(place)` returns {(key, area code, year): value} for one place — an (area code, year) — or for every place
(None). The services whose change shows on the portal call `recount(name, places)` in the change's transaction: it
locks the places' rows first and counts only then, so of two concurrent publications the second counts both, and
no count is lost. `recount_all()` (`manage.py refresh_portal_tallies`) recounts every row after a bulk load. Which
area code a row has, and which rows an area sums, is the regions' business (`sciaid.regions.portal`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.db import transaction
from django.db.models import Case, Q, Sum, Value, When
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from sciaid.core.models import PortalTally
from sciaid.core.scoping import public_view


@dataclass(frozen=True)
class PortalLink:
    """A link to one of the function's public pages."""

    label: str
    url: str


@dataclass(frozen=True)
class PortalItem:
    """One of the function's latest public items (a news item, an answer, an upcoming training)."""

    title: str
    url: str
    #: A short line under the title: a date, a kind — never a person.
    note: str = ""


@dataclass(frozen=True)
class PortalSection:
    """A function's entrance on the portal page."""

    key: str
    title: str
    summary: str
    links: tuple[PortalLink, ...] = ()
    items: tuple[PortalItem, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One headline figure of the year ("trainings held: 120")."""

    label: str
    value: int | Decimal


@dataclass(frozen=True)
class PortalFunction:
    """What one app contributes to the portal (see the module docstring)."""

    key: str
    order: int
    section: Callable[[Any], PortalSection | None] | None = None
    figures: Callable[[Any, int], list[Figure]] | None = None
    latest_year: Callable[[], int | None] | None = None
    sitemaps: dict[str, type] = field(default_factory=dict)


_functions: dict[str, PortalFunction] = {}


def register_portal(function: PortalFunction) -> PortalFunction:
    """Add (or replace, however often an app's ready() runs) the function registered under its key."""
    _functions[function.key] = function
    return function


def unregister_portal(key: str) -> None:
    _functions.pop(key, None)


def portal_functions() -> list[PortalFunction]:
    return sorted(_functions.values(), key=lambda function: (function.order, function.key))


def portal_sections(area) -> list[PortalSection]:
    """The entrances for `area`, in the seeds' order; functions with nothing to show there are left out."""
    sections = (function.section(area) for function in portal_functions() if function.section)
    return [section for section in sections if section is not None]


def portal_figures(area, year: int) -> list[Figure]:
    figures: list[Figure] = []
    for function in portal_functions():
        if function.figures:
            figures.extend(function.figures(area, year))
    return figures


def portal_year() -> int:
    """The latest year some function holds figures for, else this year: a platform whose data end in 2020 opens on
    2020, not on an empty current year."""
    years = [function.latest_year() for function in portal_functions() if function.latest_year]
    return max((year for year in years if year), default=timezone.localdate().year)


def portal_sitemaps() -> dict[str, type]:
    return {name: sitemap for function in portal_functions() for name, sitemap in function.sitemaps.items()}


# --- tallies: the counts behind the figures -----------------------------------------------------------------------

#: The year of a tally that is of no one year (the size of the catalogue, the sites demonstrating).
ALL_YEARS = 0
#: Where a tally is counted: (area code, year).
Place = tuple[str, int]
#: Counted values: {(key, area code, year): value}.
Counts = dict[tuple[str, str, int], int]
#: The one order rows are locked in (their unique index's), so two recounts never wait for each other in a circle.
ORDER = ("key", "year", "area_code")


@dataclass(frozen=True)
class Tally:
    """Figures a function keeps per area and year (see the module docstring); `keys` are unique platform-wide."""

    name: str
    keys: tuple[str, ...]
    count: Callable[[Place | None], Counts]


_tallies: dict[str, Tally] = {}


def register_tally(tally: Tally) -> Tally:
    _tallies[tally.name] = tally
    return tally


def portal_tallies() -> list[Tally]:
    return [_tallies[name] for name in sorted(_tallies)]


def _at(places: Iterable[Place]) -> Q:
    return reduce(operator.or_, (Q(area_code=code, year=year) for code, year in places))


@transaction.atomic
def recount(name: str, places: Iterable[Place]) -> None:
    """Count tally `name` again at `places`, in the caller's transaction. The places' rows are created if missing and
    locked, in one order, before anything is counted: a concurrent change of the same place waits for this
    transaction to commit and then counts it too."""
    tally = _tallies[name]
    places = sorted(set(places))
    if not places:
        return
    wanted = sorted((key, year, code) for code, year in places for key in tally.keys)
    PortalTally.objects.bulk_create(
        [PortalTally(key=key, area_code=code, year=year) for key, year, code in wanted], ignore_conflicts=True
    )
    rows = list(PortalTally.objects.select_for_update().filter(_at(places), key__in=tally.keys).order_by(*ORDER))
    counts: Counts = {}
    for place in places:
        counts.update(tally.count(place))
    for row in rows:
        row.value = counts.get((row.key, row.area_code, row.year), 0)
    PortalTally.objects.bulk_update(rows, ["value"])


def recount_all(names: Iterable[str] | None = None) -> int:
    """Count every place of the tallies `names` (all by default) again, after a bulk load or to repair drift;
    returns the rows written. Existing rows are locked before counting, like `recount`; a row a concurrent change
    creates meanwhile keeps that change's count, which is as recent."""
    written = 0
    for tally in [_tallies[name] for name in sorted(names)] if names is not None else portal_tallies():
        with transaction.atomic():
            rows = {
                (row.key, row.area_code, row.year): row
                for row in PortalTally.objects.select_for_update().filter(key__in=tally.keys).order_by(*ORDER)
            }
            counts = tally.count(None)
            for place, row in rows.items():
                row.value = counts.pop(place, 0)
            PortalTally.objects.bulk_update(rows.values(), ["value"], batch_size=1000)
            added = [PortalTally(key=k, area_code=code, year=year, value=v) for (k, code, year), v in counts.items()]
            PortalTally.objects.bulk_create(added, batch_size=1000, ignore_conflicts=True)
            written += len(rows) + len(counts)
    return written


#: Summed tallies: {(key, year, above): sum}, `above` telling the rows of the `also` areas from those `within`.
Sums = dict[tuple[str, int, bool], int]


def tally_sums(
    years: Iterable[int], *, within: tuple[str, str], also: Iterable[str] = (), keys: Iterable[str] | None = None
) -> Sums:
    """The sums of the rows of `years` (and `keys`, all by default) whose area code lies `within` (lowest, highest)
    or is one of `also`, each kind apart: one query on the rows' unique index, whatever the number of items
    counted. The area codes of `also` lie outside `within`."""
    also = list(also)
    rows = PortalTally.objects.filter(year__in=list(years))
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    where, above = Q(area_code__range=within), Value(False)
    if also:
        where |= Q(area_code__in=also)
        above = Case(When(area_code__in=also, then=Value(True)), default=Value(False))
    grouped = rows.filter(where).annotate(above=above).values("key", "year", "above").annotate(total=Sum("value"))
    return {(row["key"], row["year"], row["above"]): row["total"] for row in grouped.order_by()}


# --- the files search engines read --------------------------------------------------------------------------------


@public_view
def sitemap_index(request):
    """/sitemap.xml: an index of one sitemap per registered section, each paginated (a province's news run to the
    hundred thousands, beyond one sitemap's 50,000 URLs)."""
    return sitemap_views.index(request, sitemaps=portal_sitemaps(), sitemap_url_name="sitemap-section")


@public_view
def sitemap_section(request, section: str):
    return sitemap_views.sitemap(request, sitemaps=portal_sitemaps(), section=section)


@public_view
def robots_txt(request):
    """Crawl the public pages; the admin, the API and the language switch are nobody's search result."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


__all__ = [
    "ALL_YEARS",
    "Counts",
    "Figure",
    "Place",
    "PortalFunction",
    "PortalItem",
    "PortalLink",
    "PortalSection",
    "Sums",
    "Tally",
    "portal_figures",
    "portal_functions",
    "portal_sections",
    "portal_sitemaps",
    "portal_tallies",
    "portal_year",
    "recount",
    "recount_all",
    "register_portal",
    "register_tally",
    "robots_txt",
    "sitemap_index",
    "sitemap_section",
    "tally_sums",
    "unregister_portal",
]
