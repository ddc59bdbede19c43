"""The regions section of each role's home page: their areas, villages, households, imports and visit statistics.

Counts are single indexed queries inside the user's scope. Households are counted only for a county or smaller:
a province-wide count would scan a million rows on every home page view.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.homepage import register_home_section
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.regions.views import HouseholdImportView, VillageImportView, VisitStatsView, root_areas

#: Households are counted on the home page only for users whose widest area is this level or below.
COUNT_HOUSEHOLDS_FROM = AreaLevel.COUNTY


@register_home_section
def regions_section(user) -> list[dict]:
    roots = root_areas(user)
    if not roots:
        return []
    if granted_roles(user) == {Role.FARMER}:
        if not user.household_id:
            return []
        url = reverse("regions:household-detail", args=[user.household_id])
        return [{"title": _("My household"), "items": [{"label": _("My household"), "url": url}]}]
    items = [{"label": area.name, "url": reverse("regions:area-detail", args=[area.code])} for area in roots]
    villages = Area.objects.for_user(user).filter(level=AreaLevel.VILLAGE)
    items += [
        {"label": _("Villages"), "url": reverse("regions:area-list"), "count": villages.count()},
        {
            "label": _("Poor villages not yet lifted"),
            "url": reverse("regions:area-list") + "?lifted=false",
            "count": villages.filter(is_poor=True, lifted_year__isnull=True).count(),
        },
    ]
    household_item = {"label": _("Households"), "url": reverse("regions:household-list")}
    if min(area.level for area in roots) >= COUNT_HOUSEHOLDS_FROM:
        household_item["count"] = Household.objects.for_user(user).count()
    items.append(household_item)
    for view, label, name in (
        (HouseholdImportView, _("Import households"), "regions:household-import"),
        (VillageImportView, _("Import villages"), "regions:village-import"),
        (VisitStatsView, _("Cadre visits"), "regions:visit-stats"),
    ):
        if view.allows(user):
            items.append({"label": label, "url": reverse(name)})
    return [{"title": _("Areas and households"), "items": items}]
