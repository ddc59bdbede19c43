"""The sections of the yearly self-inspection report (自查报告), as the seeds write them, filled from the indicators.

Every figure comes from `sciaid.reports.services.indicator_values` for the area and the year (a county read live, a
city or the province from the stored rows): one call for the whole report, never a second way of counting. Each
section has its tables and a narrative drafted from those figures in the user's language; where the county admin
edited the narrative (`SelfInspectionDraft`), the edited text is shown instead, and the figures stay fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.assistance.statistics import parse_period
from sciaid.funds.models import Budget
from sciaid.projects.choices import ProjectStatus
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.indicators import REGISTRY, Unit
from sciaid.reports.self_inspection.models import SelfInspectionDraft
from sciaid.reports.services import IndicatorResult, indicator_values

#: (key, title, indicator keys of its table), in the seeds' order.
SECTIONS: tuple[tuple[str, Promise, tuple[str, ...]], ...] = (
    (
        "basic",
        gettext_lazy("Basic information"),
        (
            "commissioners.poor_villages",
            "regions.households",
            "regions.poor_households",
            "regions.lifted_households",
        ),
    ),
    (
        "platform",
        gettext_lazy("Platform construction and operation, funds"),
        (
            "assistance.demands_received",
            "assistance.demands_resolved",
            "assistance.demands_valid",
            "assistance.satisfaction",
            "assistance.sla_met_rate",
            "funds.budgeted",
            "funds.allocated",
            "funds.unallocated",
            "funds.spent",
            "funds.balance",
            "funds.execution_rate",
        ),
    ),
    (
        "commissioners",
        gettext_lazy("S&T commissioners"),
        (
            "commissioners.commissioners",
            "commissioners.poor_villages_covered",
            "commissioners.coverage_rate",
            "commissioners.services",
            "commissioners.trainings",
            "commissioners.trainees",
            "commissioners.new_varieties",
            "commissioners.new_techniques",
            "commissioners.households_helped",
            "commissioners.appraised",
            "commissioners.excellent",
            "commissioners.qualified",
            "commissioners.unqualified",
        ),
    ),
    ("workstations", gettext_lazy("Commissioner workstations"), ("commissioners.workstations_filed",)),
    (
        "projects",
        gettext_lazy("S&T poverty-alleviation projects"),
        (
            "projects.declared",
            "projects.approved",
            "projects.approved_amount",
            "projects.approval_rate",
            *(f"projects.stage_{status}" for status in ProjectStatus.values),
        ),
    ),
    (
        "consumption",
        gettext_lazy("Consumption poverty alleviation"),
        (
            "market.purchases",
            "market.orders",
            "market.pieces",
            "market.quotas",
            "market.quota_purchases",
            "market.quota_rate",
        ),
    ),
    (
        "publicity",
        gettext_lazy("Publicity, training and information"),
        (
            "training.trainings",
            "training.trainees",
            "training.distinct_trainees",
            "training.poor_household_trainees",
            "training.satisfaction",
            "demonstration.sites",
            "demonstration.households_driven",
            "demonstration.income",
            "achievements.transfers",
            "achievements.contract_value",
        ),
    ),
    ("problems", gettext_lazy("Problems and shortcomings"), ()),
    ("next_steps", gettext_lazy("Next steps"), ()),
)
SECTION_KEYS = tuple(key for key, _title, _keys in SECTIONS)
SECTION_TITLES = {key: title for key, title, _keys in SECTIONS}
ALL_KEYS = tuple(dict.fromkeys(key for _section, _title, keys in SECTIONS for key in keys))
CENT = Decimal("0.01")


def format_value(value: Decimal | None, unit: str) -> str:
    """A figure as the report prints it: ¥287,606 (cents only when there are some), 95.0%, 6,302."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    amount = value.quantize(CENT, ROUND_HALF_UP)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"¥{text}" if unit == Unit.YUAN else text


@dataclass
class Row:
    key: str
    label: str
    value: Decimal | None
    text: str


@dataclass
class Table:
    """A breakdown beside a section's figures (the budgets of the year), with its header row."""

    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]
    drafted: str
    text: str
    edited: bool = False
    edited_by: str = ""
    edited_at: object = None
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    area: Area
    year: int
    sections: list[Section]
    figures: dict[str, Decimal | None] = field(default_factory=dict)
    checks: list = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("%(year)d self-inspection report on S&T poverty alleviation of %(area)s") % {
            "year": self.year,
            "area": self.area.name,
        }


def figures_of(user, area: Area, year: int) -> dict[str, IndicatorResult]:
    """Every figure of the report: one `indicator_values` call (its role and jurisdiction checks included)."""
    return {result.indicator.key: result for result in indicator_values(user, area, parse_period(str(year)), ALL_KEYS)}


def build_report(user, area: Area, year: int, checks: list | None = None) -> Report:
    """The report of `area` for `year` as `user` may read it: figures, drafted narratives, the saved edits."""
    results = figures_of(user, area, year)
    values = {key: result.value for key, result in results.items()}
    text = {key: format_value(result.value, result.indicator.unit) for key, result in results.items()}
    drafts = {
        draft.section: draft
        for draft in SelfInspectionDraft.objects.filter(area=area, year=year).select_related("edited_by")
    }
    narratives = draft_narratives(area, year, values, text, checks or [])
    sections = []
    for key, title, keys in SECTIONS:
        rows = [Row(k, str(REGISTRY[k].label), values.get(k), text.get(k, "—")) for k in keys]
        if key == "projects":
            # Stages nobody is in add nothing to the table.
            rows = [row for row in rows if not row.key.startswith("projects.stage_") or row.value]
        draft = drafts.get(key)
        sections.append(
            Section(
                key=key,
                title=str(title),
                rows=rows,
                drafted=narratives[key],
                text=draft.text if draft else narratives[key],
                edited=draft is not None,
                edited_by=str(draft.edited_by or "") if draft else "",
                edited_at=draft.edited_at if draft else None,
            )
        )
    if area.level == AreaLevel.COUNTY:
        sections[1].tables.append(budget_table(user, area, year))
    return Report(area, year, sections, values, checks or [])


def budget_table(user, area: Area, year: int) -> Table:
    """The county's budgets of the year as the funds ledger keeps them (`Budget.with_totals`), one row each: the
    seeds' "capital expenditure" paragraph (¥300,000, spent ¥287,606, balance ¥12,394). Scoped to the user."""
    budgets = (
        Budget.objects.for_user(user).filter(area=area, year=year).with_totals().select_related("source").order_by("pk")
    )
    return Table(
        _("Funds by budget"),
        [_("Budget"), _("Source"), _("Amount"), _("Allocated"), _("Spent"), _("Balance")],
        [
            [
                budget.purpose,
                budget.source.name,
                format_value(budget.amount, Unit.YUAN),
                format_value(budget.allocated, Unit.YUAN),
                format_value(budget.spent, Unit.YUAN),
                format_value(budget.balance, Unit.YUAN),
            ]
            for budget in budgets
        ],
    )


def draft_narratives(area: Area, year: int, values: dict, text: dict, checks: list) -> dict[str, str]:
    """Each section's narrative, drafted from the figures (in the active language)."""

    def v(key: str) -> Decimal:
        return values.get(key) or Decimal(0)

    names = {"year": year, "area": area.name}
    narratives = {
        "basic": _(
            "In %(year)d %(area)s had %(poor_villages)s poor villages and %(households)s registered households, "
            "of which %(poor)s were still poor and %(lifted)s had been lifted out of poverty."
        )
        % {
            **names,
            "poor_villages": text["commissioners.poor_villages"],
            "households": text["regions.households"],
            "poor": text["regions.poor_households"],
            "lifted": text["regions.lifted_households"],
        },
        "platform": _(
            "In %(year)d the platform received %(received)s technical demands from farmers and herdsmen and resolved "
            "%(resolved)s, %(valid)s of them judged valid services; satisfaction was %(satisfaction)s and %(sla)s of "
            "the demands met their deadlines. The funds of the year were %(budgeted)s: %(allocated)s allocated, "
            "%(spent)s spent, a balance of %(balance)s, an execution rate of %(rate)s."
        )
        % {
            **names,
            "received": text["assistance.demands_received"],
            "resolved": text["assistance.demands_resolved"],
            "valid": text["assistance.demands_valid"],
            "satisfaction": text["assistance.satisfaction"],
            "sla": text["assistance.sla_met_rate"],
            "budgeted": text["funds.budgeted"],
            "allocated": text["funds.allocated"],
            "spent": text["funds.spent"],
            "balance": text["funds.balance"],
            "rate": text["funds.execution_rate"],
        },
        "commissioners": _(
            "In %(year)d %(area)s selected %(commissioners)s S&T commissioners, covering %(covered)s of its "
            "%(poor_villages)s poor villages (%(coverage)s). They held %(trainings)s trainings with %(trainees)s "
            "trainees, introduced %(varieties)s new varieties and %(techniques)s new techniques, and helped "
            "%(households)s households. Of the %(appraised)s commissioners appraised, %(excellent)s were rated "
            "excellent, %(qualified)s qualified and %(unqualified)s unqualified."
        )
        % {
            **names,
            "commissioners": text["commissioners.commissioners"],
            "covered": text["commissioners.poor_villages_covered"],
            "poor_villages": text["commissioners.poor_villages"],
            "coverage": text["commissioners.coverage_rate"],
            "trainings": text["commissioners.trainings"],
            "trainees": text["commissioners.trainees"],
            "varieties": text["commissioners.new_varieties"],
            "techniques": text["commissioners.new_techniques"],
            "households": text["commissioners.households_helped"],
            "appraised": text["commissioners.appraised"],
            "excellent": text["commissioners.excellent"],
            "qualified": text["commissioners.qualified"],
            "unqualified": text["commissioners.unqualified"],
        },
        "workstations": _("By the end of %(year)d %(area)s had %(workstations)s commissioner workstations filed.")
        % {**names, "workstations": text["commissioners.workstations_filed"]},
        "projects": _(
            "In %(year)d %(declared)s S&T poverty-alleviation projects were declared and %(approved)s approved, "
            "with %(amount)s of funds approved."
        )
        % {
            **names,
            "declared": text["projects.declared"],
            "approved": text["projects.approved"],
            "amount": text["projects.approved_amount"],
        },
        "consumption": _(
            "In %(year)d institutions bought poverty-alleviation products worth %(purchases)s in %(orders)s orders; "
            "the buyers with a quota bought %(quota_purchases)s against quotas of %(quotas)s (%(rate)s)."
        )
        % {
            **names,
            "purchases": text["market.purchases"],
            "orders": text["market.orders"],
            "quota_purchases": text["market.quota_purchases"],
            "quotas": text["market.quotas"],
            "rate": text["market.quota_rate"],
        },
        "publicity": _(
            "In %(year)d %(trainings)s popular-science and practical-technology trainings were held with "
            "%(trainees)s trainees (%(distinct)s people, %(poor)s of them from poor households); %(sites)s "
            "demonstration sites drove %(driven)s households, and %(transfers)s achievements were transferred."
        )
        % {
            **names,
            "trainings": text["training.trainings"],
            "trainees": text["training.trainees"],
            "distinct": text["training.distinct_trainees"],
            "poor": text["training.poor_household_trainees"],
            "sites": text["demonstration.sites"],
            "driven": text["demonstration.households_driven"],
            "transfers": text["achievements.transfers"],
        },
    }
    problems, steps = [], []
    uncovered = v("commissioners.poor_villages") - v("commissioners.poor_villages_covered")
    if uncovered > 0:
        problems.append(
            _("%(count)s poor villages had no S&T commissioner.") % {"count": format_value(uncovered, Unit.VILLAGES)}
        )
        steps.append(_("Pair a commissioner or a service team with every poor village."))
    if v("commissioners.unqualified") > 0:
        problems.append(
            _("%(count)s commissioners were rated unqualified.") % {"count": text["commissioners.unqualified"]}
        )
        steps.append(_("Strengthen the supervision and training of the commissioners."))
    if v("funds.balance") > 0:
        problems.append(_("A balance of %(balance)s remained unspent.") % {"balance": text["funds.balance"]})
        steps.append(_("Spend the remaining funds on their purposes, or return them."))
    if values.get("assistance.satisfaction") is not None and v("assistance.satisfaction") < 90:
        problems.append(_("Satisfaction with the services was %(rate)s.") % {"rate": text["assistance.satisfaction"]})
        steps.append(_("Call farmers back after each service and follow up the unsatisfied ones."))
    for check in checks:
        if not check.passed:
            problems.append(
                _("Consistency check failed: %(check)s (%(count)d records).")
                % {
                    "check": check.title,
                    "count": check.count,
                }
            )
    if not checks or all(check.passed for check in checks):
        pass
    else:
        steps.append(_("Correct the records listed in the consistency checks appendix."))
    steps.append(_("Keep the platform's data complete, so that next year's report is drawn from it again."))
    narratives["problems"] = "\n".join(problems) or _("No problem stands out in the figures of %(year)d.") % names
    narratives["next_steps"] = "\n".join(steps)
    return narratives
