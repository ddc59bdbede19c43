"""The figures section of the home page of those who read indicators (county admins, triage officers, supervisors,
platform admins): the few figures that matter for their widest area this year, each a link to the dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import default_period
from sciaid.core.homepage import register_home_section
from sciaid.reports.indicators import Unit
from sciaid.reports.services import indicator_values, may_read_indicators
from sciaid.reports.views import default_area, display

#: The figures shown, in this order (each is an indicator: the same number as on the dashboard).
HOME_KEYS = (
    "assistance.demands_received",
    "assistance.demands_resolved",
    "assistance.sla_met_rate",
    "commissioners.coverage_rate",
    "funds.execution_rate",
    "market.quota_rate",
)


@register_home_section
def figures_section(user) -> list[dict]:
    if not may_read_indicators(user):
        return []
    area = default_area(user)
    if area is None:
        return []
    period = default_period(user)
    url = reverse("reports:dashboard") + f"?area={area.code}&year={period.year}"
    items = []
    for result in indicator_values(user, area, period, HOME_KEYS):
        indicator = result.indicator
        text = display(result.value, indicator.unit)
        if indicator.unit == Unit.PERCENT and result.value is not None:
            text += " %"
        items.append({"label": indicator.label, "url": url, "count": text, "key": indicator.key})
    items.append({"label": _("Open the dashboard"), "url": url})
    title = _("Figures of %(area)s, %(year)s") % {"area": area.name, "year": period.year}
    return [{"title": title, "items": items}]
