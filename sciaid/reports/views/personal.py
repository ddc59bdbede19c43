"""The personal dashboards' tables: an expert's work by month, an info officer's villages
(`sciaid.reports.personal` computes the figures), in the shape `tables.py` gives the area dashboard's tables."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.reports.indicators import Unit
from sciaid.reports.personal import expert_months, expert_year, officer_villages_figures
from sciaid.reports.views.tables import count_text, grid_table, hours_text, plain, rate_text


def expert_table(user, year: int) -> dict:
    """The expert's work month by month and the year's total (`personal.expert_months`)."""
    months = expert_months(user, year)
    total = expert_year(months)
    columns = [
        _("Month"),
        _("Assigned"),
        _("Accepted"),
        _("Mean response time (h)"),
        _("Resolved"),
        _("Satisfaction (%)"),
        _("SLA met (%)"),
        _("Knowledge published"),
    ]
    keyed = [(f"{year}-{m['month']:02d}", m) for m in months] + [(str(_("Year")), total)]

    def line(label, m, text):
        number = count_text if text else (lambda v: v)
        return [
            label,
            number(m["assigned"]),
            number(m["accepted"]),
            hours_text(m["response_hours"]) if text else ("" if m["response_hours"] is None else m["response_hours"]),
            number(m["resolved"]),
            rate_text(m["satisfaction"]) if text else plain(m["satisfaction"], Unit.PERCENT),
            rate_text(m["sla_met_rate"]) if text else plain(m["sla_met_rate"], Unit.PERCENT),
            number(m["knowledge"]),
        ]

    return grid_table(
        "work",
        _("Your work by month"),
        str(year),
        columns,
        [line(label, m, True) for label, m in keyed],
        [line(label, m, False) for label, m in keyed],
        ("assigned", "accepted", "resolved"),
        (_("Assigned"), _("Accepted"), _("Resolved")),
        [(label[5:], m) for label, m in keyed[:12]],
        # Months are a wide table that scrolls in its box, as the trend's.
        cards=False,
    )


def officer_tables(user, year: int) -> list[dict]:
    """The info officer's villages: their demands by state, then households helped, trainings and commissioners."""
    villages = officer_villages_figures(user, year)
    demand_keys = ("received", "collected", "open", "delivered", "set_aside", "valid")
    demand_columns = [
        _("Village"),
        _("Demands received"),
        _("Collected by you"),
        _("Open"),
        _("Served"),
        _("Merged or rejected"),
        _("Valid services"),
    ]
    demands = grid_table(
        "villages",
        _("Demands of your villages"),
        str(year),
        demand_columns,
        [[row["village"].name, *[count_text(row[key]) for key in demand_keys]] for row in villages],
        [[row["village"].name, *[row[key] for key in demand_keys]] for row in villages],
        ("received", "delivered"),
        (_("Demands received"), _("Served")),
        [(row["village"].name, row) for row in villages],
    )
    work = grid_table(
        "village_work",
        _("Households helped, trainings and commissioners"),
        str(year),
        [_("Village"), _("Households helped"), _("Trainings held"), _("Commissioners paired")],
        [
            [
                row["village"].name,
                count_text(row["households"]),
                count_text(row["trainings"]),
                "、".join(row["commissioners"]) or "—",
            ]
            for row in villages
        ],
        [
            [
                row["village"].name,
                "" if row["households"] is None else row["households"],
                row["trainings"],
                "、".join(row["commissioners"]),
            ]
            for row in villages
        ],
        ("households", "trainings"),
        (_("Households helped"), _("Trainings held")),
        [(row["village"].name, row) for row in villages],
    )
    return [demands, work]
