"""The regions section of each role's home page: their areas, the poverty figures under them, imports and visits.

The figures tell where the county stands: villages, poor villages and how many are lifted out, households and how
many are not yet out or at risk of return. What is still to do (poor villages not yet lifted, households not yet
out or at risk) is listed only when there is some, so a finished task never shows as a row of zeros. Counts are
live at county level and below and come from the refreshed statistics above (`services.poverty_figures`).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.homepage import register_home_section
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW, granted_roles, may_act_on_some
from sciaid.regions.choices import HouseholdStatus
from sciaid.regions.models import Household
from sciaid.regions.services import poverty_figures
from sciaid.regions.views import HouseholdImportView, VillageImportView, VisitStatsView, root_areas


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
    items += figure_items(user, poverty_figures(user, roots))
    for view, label, name in (
        (HouseholdImportView, _("Import households"), "regions:household-import"),
        (VillageImportView, _("Import villages"), "regions:village-import"),
        (VisitStatsView, _("Cadre visits"), "regions:visit-stats"),
    ):
        if view.may_open(user):
            items.append({"label": label, "url": reverse(name)})
    return [{"title": _("Areas and households"), "items": items}]


def figure_items(user, figures: dict[str, int] | None) -> list[dict]:
    """One item per figure, each linking to the matching list; without figures yet, links to the lists alone."""
    areas, households = reverse("regions:area-list"), reverse("regions:household-list")
    if figures is None:
        # Statistics above county level not refreshed yet: the lists themselves are still worth a link.
        links = [{"label": _("Villages"), "url": areas}]
        if may_act_on_some(user, Household, VIEW):
            links.append({"label": _("Households"), "url": households})
        return links
    figures = {**figures, "not_lifted_villages": figures["poor_villages"] - figures["lifted_villages"]}
    #: (label, list, figure, shown even when zero); the rows of what is still to do only show when there is some.
    rows = (
        (_("Villages"), areas, "villages", True),
        (_("Poor villages"), f"{areas}?is_poor=true", "poor_villages", True),
        (_("Poor villages lifted out"), f"{areas}?lifted=true", "lifted_villages", True),
        (_("Poor villages not yet lifted"), f"{areas}?lifted=false", "not_lifted_villages", False),
        (_("Households"), households, "households", True),
        (_("Households not yet lifted out"), f"{households}?status={HouseholdStatus.POOR}", "poor_households", False),
        (
            _("Households at risk of return to poverty"),
            f"{households}?status={HouseholdStatus.AT_RISK}",
            "at_risk_households",
            False,
        ),
    )
    return [
        {"label": label, "url": url, "count": figures[key]}
        for label, url, key, always in rows
        if key in figures and (always or figures[key])
    ]
