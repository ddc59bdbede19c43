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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

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
    "Figure",
    "PortalFunction",
    "PortalItem",
    "PortalLink",
    "PortalSection",
    "portal_figures",
    "portal_functions",
    "portal_sections",
    "portal_sitemaps",
    "portal_year",
    "register_portal",
    "robots_txt",
    "sitemap_index",
    "sitemap_section",
    "unregister_portal",
]
