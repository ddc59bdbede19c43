"""The public portal: an area's page of the five service functions, and the chooser of the visitor's area.

`/` (for visitors without a login, see `core.views.HomeView`) shows the chosen area's portal, `/portal/<code>/` the
portal of any province, city or county (the address search engines list). The entrances and figures come from
the functions registered in `sciaid.core.portal`; this module only resolves the area and the year. The chooser
walks province → city → county with plain links and buttons (no script) and remembers the choice in a cookie.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from sciaid.core.portal import PortalFunction, portal_figures, portal_sections, portal_year, register_portal
from sciaid.core.scoping import PUBLIC
from sciaid.regions.choices import AreaLevel
from sciaid.regions.chooser import CHOOSABLE, choosable_area, chosen_area, portal_area, remember
from sciaid.regions.models import Area


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
        return super().get_context_data(
            area=area,
            trail=trail(area),
            year=year,
            sections=portal_sections(area) if area else [],
            figures=portal_figures(area, year) if area else [],
            **kwargs,
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
