"""The visitor's area: the province, city or county a visitor without a login chose, remembered in a cookie.

Every public page reads it the same way: the portal shows that area's entrances and figures, and the public lists
filter by it. A list keeps its own `?area=<code>` filter; `with_chosen_area(request)` only fills that filter in
when the URL does not say (an empty `?area=` still means "everywhere"), so a chosen county never hides a link
someone shared.

It lives here, not in core, because it resolves division codes to areas (core knows no domain); every app above
may import it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict

from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

COOKIE = "sciaid_area"
#: A year: a farmer who chose their county once should not be asked again next season.
COOKIE_AGE = 365 * 24 * 3600
#: The levels a visitor may choose: a portal per village or township would show almost nothing.
CHOOSABLE = (AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY)


def choosable_area(code: str | None) -> Area | None:
    """The province, city or county of a 12-digit code; None for anything else (a village, garbage, a stale code)."""
    if not code or len(code) != 12 or not code.isdigit():
        return None
    return Area.objects.filter(code=code, level__in=CHOOSABLE).select_related("parent").first()


def chosen_area(request: HttpRequest) -> Area | None:
    """The area the visitor chose, or None; looked up once per request."""
    if not hasattr(request, "_chosen_area"):
        request._chosen_area = choosable_area(request.COOKIES.get(COOKIE))
    return request._chosen_area


def portal_area(request: HttpRequest) -> Area | None:
    """The area the portal opens on: the chosen one, else the first province (None on an empty platform)."""
    return chosen_area(request) or Area.objects.filter(level=AreaLevel.PROVINCE).order_by("code").first()


def remember(response: HttpResponse, area: Area | None) -> HttpResponse:
    """Remember `area` for the visitor's next pages, or forget the choice (None)."""
    if area is None:
        response.delete_cookie(COOKIE, samesite="Lax")
    else:
        response.set_cookie(COOKIE, area.code, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return response


def publishing_areas(area: Area) -> QuerySet:
    """The ids of the areas whose publications are meant for the people of `area`: itself, the areas above it and
    the cities and counties below it (news, catalogues and the like are published by a county or above). A few
    hundred ids at most, so a count over a large table filters `area_id IN (…)` on its (status, area) index instead
    of joining every row to its area."""
    below = Q(code__range=area.subtree_bounds, level__in=CHOOSABLE)
    return Area.objects.filter(below | Q(code__in=area.ancestor_codes())).values("pk")


def with_chosen_area(request: HttpRequest) -> QueryDict | None:
    """The page's filter data with `area` defaulted to the chosen area: what a public list hands its FilterSet
    (`FilterSet(with_chosen_area(request), queryset=…)`); None, like an empty `request.GET or None`, when there is
    nothing to filter by."""
    area = chosen_area(request)
    if area is None or "area" in request.GET:
        return request.GET or None
    data = request.GET.copy()
    data["area"] = area.code
    return data


def chosen_area_context(request: HttpRequest) -> dict:
    """`chosen_area` for templates (the header's "your county" link), looked up only when a template shows it:
    visitors without a login only, and logged-in users never pay for it."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"chosen_area": None}
    return {"chosen_area": lambda: chosen_area(request)}
