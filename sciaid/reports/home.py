"""The figures section of the home page of those who read indicators (county admins, triage officers, supervisors,
platform admins): the few figures that matter for their widest area this year, each a link to the dashboard; for
experts and info officers, four figures of their own work or villages (`sciaid.reports.personal`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import default_period
from sciaid.core.homepage import register_home_section
from sciaid.reports.indicators import Unit
from sciaid.reports.personal import EXPERT, expert_months, expert_year, officer_villages_figures, personal_kind
from sciaid.reports.services import indicator_values, may_read_indicators
from sciaid.reports.views.dashboard import default_area
from sciaid.reports.views.tables import count_text, display, rate_text

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
        return personal_section(user)
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


def personal_section(user) -> list[dict]:
    """An expert's or an info officer's four figures of the year, from the same functions as their dashboard."""
    kind = personal_kind(user)
    if kind is None:
        return []
    year = default_period(user).year
    url = reverse("reports:dashboard") + f"?year={year}"
    if kind == EXPERT:
        total = expert_year(expert_months(user, year))
        figures = [
            (_("Assigned"), count_text(total["assigned"])),
            (_("Resolved"), count_text(total["resolved"])),
            (_("Satisfaction"), percent_text(total["satisfaction"])),
            (_("SLA met"), percent_text(total["sla_met_rate"])),
        ]
        title = _("Your work in %(year)s") % {"year": year}
    else:
        villages = officer_villages_figures(user, year)
        figures = [
            (_("Demands received"), count_text(sum(row["received"] for row in villages))),
            (_("Served"), count_text(sum(row["delivered"] for row in villages))),
            (_("Households helped"), count_text(sum(row["households"] or 0 for row in villages))),
            (_("Trainings held"), count_text(sum(row["trainings"] for row in villages))),
        ]
        title = _("Your villages in %(year)s") % {"year": year}
    items = [{"label": label, "url": url, "count": text} for label, text in figures]
    items.append({"label": _("Open the dashboard"), "url": url})
    return [{"title": title, "items": items}]


def percent_text(value) -> str:
    text = rate_text(value)
    return text if value is None else f"{text} %"
