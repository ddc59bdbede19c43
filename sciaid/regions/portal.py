"""The public portal: an area's page of the five service functions, and the chooser of the visitor's area.

`/` (for visitors without a login, see `core.views.HomeView`) shows the chosen area's portal, `/portal/<code>/` the
portal of any province, city or county (the address search engines list). The entrances and figures come from
the functions registered in `sciaid.core.portal`; this module only resolves the area and the year. The chooser
walks province → city → county with plain links and buttons (no script) and remembers the choice in a cookie.

It also says where the portal's tallies (`core.portal`) are kept: an item of a village or township is counted under
its county, what a county, city or province publishes under that area itself. An area's figure is then the sum of
the rows in its subtree (a county's one row, a province's ~200), plus, for what is published for the people of an
area (`chooser.publishing_areas`), the rows of the areas above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap
from django.db.models import F, QuerySet, Value
from django.db.models.functions import ExtractYear, Substr
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sciaid.core.portal import (
    ALL_YEARS,
    Counts,
    Place,
    PortalFunction,
    Sums,
    portal_figures,
    portal_sections,
    portal_year,
    recount,
    register_portal,
    tally_sums,
)
from sciaid.core.scoping import PUBLIC
from sciaid.regions.choices import CODE_DIGITS, AreaLevel
from sciaid.regions.chooser import CHOOSABLE, choosable_area, chosen_area, portal_area, publishing_areas, remember
from sciaid.regions.models import Area

# --- where the tallies are kept ---------------------------------------------------------------------------------

#: A tally row's area code keeps the county digits of what it counts.
TALLY_DIGITS = CODE_DIGITS[AreaLevel.COUNTY]


def tally_code(code: str) -> str:
    """The area code an item of area `code` is counted under: its county, or the city or province itself."""
    return code[:TALLY_DIGITS].ljust(12, "0")


def counted(
    rows: QuerySet, place: Place | None, *, code: str, day: str | None = None, year: str | None = None, **figures
) -> Counts:
    """Count `rows` for a tally (`core.portal.Tally.count`): each figure (an aggregate named by its key) grouped by
    the tally code of the area at `code` and by the year of the date at `day`, or of the year at `year` (ALL_YEARS
    with neither); only the rows of `place` when given."""
    years = ExtractYear(day) if day else F(year) if year else Value(ALL_YEARS)
    if place is not None:
        prefix = tally_code(place[0])[:TALLY_DIGITS]
        rows = rows.filter(**{f"{code}__range": (prefix.ljust(12, "0"), prefix.ljust(12, "9"))})
        if day or year:
            rows = rows.filter(**{f"{day}__year" if day else year: place[1]})
    grouped = rows.annotate(tally_area=Substr(code, 1, TALLY_DIGITS), tally_year=years)
    return {
        (key, row["tally_area"].ljust(12, "0"), row["tally_year"]): row[key] or 0
        for row in grouped.values("tally_area", "tally_year").annotate(**figures).order_by()
        for key in figures
    }


def count_again(name: str, *places: Place) -> None:
    """Recount tally `name` where these (area code, year) are counted, in the caller's transaction: what a service
    calls after a change the portal shows."""
    recount(name, {(tally_code(code), year) for code, year in places})


@dataclass(frozen=True)
class PageReads:
    """What the portal page of one area reads once for all its functions (`reading_portal`)."""

    code: str
    year: int
    sums: Sums
    publishing_ids: list[int]


_page: ContextVar[PageReads | None] = ContextVar("portal_page_reads", default=None)


@contextmanager
def reading_portal(area: Area, year: int) -> Iterator[None]:
    """Inside the block, the functions asking for `area`'s tallies of `year` (or of no one year) and for its
    publishing areas get them from two queries made here, instead of one query each."""
    reads = PageReads(
        area.code,
        year,
        tally_sums([year, ALL_YEARS], within=area.subtree_bounds, also=area.ancestor_codes()),
        list(publishing_areas(area).values_list("pk", flat=True)),
    )
    token = _page.set(reads)
    try:
        yield
    finally:
        _page.reset(token)


def _page_of(area: Area) -> PageReads | None:
    reads = _page.get()
    return reads if reads is not None and reads.code == area.code else None


def area_tallies(area: Area, year: int, keys, *, published_for: bool = False) -> dict[str, int]:
    """{key: sum} of the tallies of `area` and `year`: the rows of its subtree, and of the areas above it when the
    figure counts what is published for its people."""
    keys = list(keys)
    reads = _page_of(area)
    if reads is not None and year in (reads.year, ALL_YEARS):
        sums = reads.sums
    else:
        also = area.ancestor_codes() if published_for else ()
        sums = tally_sums([year], within=area.subtree_bounds, also=also, keys=keys)
    kinds = (False, True) if published_for else (False,)
    return {key: sum(sums.get((key, year, above)) or 0 for above in kinds) for key in keys}


def publishing_area_ids(area: Area) -> list[int]:
    """The ids of `chooser.publishing_areas(area)`, as a list: filtering the latest items by literal ids lets the
    planner see how many rows each area holds, and walk the (status, date) index of a large table when the few
    latest are found sooner that way (the province's: 0.2 ms instead of ~3 ms for a county's 1,500 rows sorted)."""
    reads = _page_of(area)
    return reads.publishing_ids if reads is not None else list(publishing_areas(area).values_list("pk", flat=True))


# --- the pages -------------------------------------------------------------------------------------------------------


def trail(area: Area | None) -> list[Area]:
    """The areas above `area`, province first (one query)."""
    return list(Area.objects.filter(code__in=area.ancestor_codes()).order_by("code")) if area else []


class PortalView(TemplateView):
    """The chosen area's portal (the first province's until the visitor chooses): the five functions' entrances in
    the seeds' order, the headline figures of the latest year, the way to log in."""

    scoping = PUBLIC
    template_name = "regions/portal.html"

    def get_area(self) -> Area | None:
        return portal_area(self.request)

    def get_context_data(self, **kwargs):
        area = self.get_area()
        year = portal_year()
        sections, figures = [], []
        if area is not None:
            with reading_portal(area, year):
                sections, figures = portal_sections(area), portal_figures(area, year)
        return super().get_context_data(
            area=area, trail=trail(area), year=year, sections=sections, figures=figures, **kwargs
        )


class AreaPortalView(PortalView):
    """The portal of the province, city or county in the URL, whatever the visitor chose (404 for other codes)."""

    def get_area(self) -> Area:
        area = choosable_area(self.kwargs["code"])
        if area is None:
            raise Http404
        return area


class ChooseAreaView(TemplateView):
    """Choose the area public pages show: `?in=<code>` lists the areas below a province or city; posting `area`
    remembers it (an empty `area` forgets the choice) and goes back to `next`."""

    scoping = PUBLIC
    template_name = "regions/choose_area.html"

    def get_context_data(self, **kwargs):
        parent = choosable_area(self.request.GET.get("in"))
        if parent is not None and parent.level == AreaLevel.COUNTY:
            parent = None  # a county has nothing below it to choose
        options = Area.objects.filter(level__in=CHOOSABLE).order_by("code")
        options = options.filter(parent=parent) if parent else options.filter(level=AreaLevel.PROVINCE)
        return super().get_context_data(
            parent=parent,
            trail=[*trail(parent), parent] if parent else [],
            options=[(option, option.level < AreaLevel.COUNTY) for option in options],
            chosen=chosen_area(self.request),
            next=self.next_url(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        code = request.POST.get("area", "")
        area = choosable_area(code)
        if code and area is None:
            context = self.get_context_data(error=_("Choose a province, a city or a county from the list."))
            return self.render_to_response(context, status=400)
        return remember(redirect(self.next_url()), area)

    def next_url(self) -> str:
        """Where to go back to: a page of this site only (never an address someone slipped into the link)."""
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, {self.request.get_host()}, self.request.is_secure()):
            return target
        return reverse("home")


class PortalSitemap(Sitemap):
    """The home page and the portal of every province, city and county."""

    changefreq = "daily"

    def items(self) -> list[str]:
        codes = Area.objects.filter(level__in=CHOOSABLE).order_by("code").values_list("code", flat=True)
        return ["", *codes]

    def location(self, code: str) -> str:
        return reverse("portal:area", args=[code]) if code else reverse("home")


register_portal(PortalFunction("portal", 0, sitemaps={"portal": PortalSitemap}))
