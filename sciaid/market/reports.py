"""Which areas and year the market figures are about, for the figures page and `GET /api/v1/reports/market/`."""

from __future__ import annotations

from django.db.models import Max, QuerySet
from django.utils import timezone

from sciaid.core.scoping import VIEW, Scope, is_unrestricted, user_grants
from sciaid.market.models import MANAGERS, READERS, Order
from sciaid.regions import reports
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: Who reads the market figures of their areas.
FIGURE_READERS = MANAGERS | READERS


def may_read_figures(user) -> bool:
    return is_unrestricted(user) or any(grant.role in FIGURE_READERS for grant in user_grants(user))


def figure_areas(user) -> QuerySet[Area]:
    """The areas, down to townships, under the user's grants of a role that reads market figures."""
    areas = Area.objects.filter(level__lte=AreaLevel.TOWNSHIP).order_by("code")
    if is_unrestricted(user):
        return areas
    condition = Scope(code_path="code", view=FIGURE_READERS).filter_for(user, VIEW)
    return areas.filter(condition) if condition is not None else areas.none()


def latest_year(area: Area) -> int:
    """The latest year with an order in the area (pages open on it), or this year when there is none."""
    latest = Order.objects.filter(area__code__range=area.subtree_bounds).aggregate(last=Max("placed_on"))["last"]
    return latest.year if latest else timezone.localdate().year


def resolve_area_year(user, area_code: str | None, year_text: str | None) -> tuple[Area, int]:
    areas = figure_areas(user)
    return reports.resolve_area_year(
        area_code,
        year_text,
        areas=areas,
        default_area=lambda: areas.order_by("level", "code").first(),
        latest_year=latest_year,
    )
