"""The consistency checks appended to the self-inspection report: do the area's records of the year agree?

Each check reads the apps' own models and functions (the funds' ledger totals, the commissioners' coverage, the
training events' states) for the area's subtree and the year, and lists the records to fix with a link to each
(`get_absolute_url`). At most `LISTED` records are listed per check; `count` says how many there are.

- ledger: every budget reconciles — budget = allocated + unallocated with nothing over-allocated, allocated = spent +
  balance with nothing overspent — and every allocation is not overspent;
- trainings: the commissioners' confirmed training logs agree with the training events (a log recording an event
  that did not take place counts a training nobody held);
- households: the households the commissioners' logs helped are in the registry (logs counting unregistered ones);
- coverage: poor villages with no commissioner nor service team;
- projects: approved or running projects past a milestone's due date without a progress report, or with an open
  rectification past its deadline;
- vouchers: expenditures (not reversed, not reversals) without a voucher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.commissioners.statistics.services import coverage
from sciaid.funds.models import Allocation, Budget, Expenditure
from sciaid.funds.money import yuan
from sciaid.projects.choices import ProjectStatus, RectificationStatus
from sciaid.projects.models import Milestone, Project, Rectification
from sciaid.regions.models import Area
from sciaid.training.choices import TOOK_PLACE

#: Records listed per failed check (the count says how many there are).
LISTED = 50


@dataclass
class Problem:
    """One record to fix: what it is, what is wrong, where to fix it."""

    label: str
    detail: str
    url: str


@dataclass
class Check:
    key: str
    title: str
    count: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.count == 0


CHECKS: tuple[tuple[str, Promise], ...] = (
    ("ledger", gettext_lazy("The ledger reconciles for every budget")),
    ("trainings", gettext_lazy("Commissioners' trainings agree with the training events")),
    ("households", gettext_lazy("Households helped are in the registry")),
    ("coverage", gettext_lazy("Every poor village has a commissioner")),
    ("projects", gettext_lazy("No project is past its deadline")),
    ("vouchers", gettext_lazy("Every expenditure has its voucher")),
)


def run_checks(area: Area, year: int, today: date | None = None) -> list[Check]:
    """Every check for the area's subtree and the year (the caller has checked the user may read the area)."""
    today = today or timezone.localdate()
    as_of = min(today, date(year, 12, 31))
    runners = {
        "ledger": ledger,
        "trainings": trainings,
        "households": households,
        "coverage": poor_villages_uncovered,
        "projects": lambda a, y: projects_late(a, y, as_of),
        "vouchers": vouchers,
    }
    checks = []
    for key, title in CHECKS:
        count, problems = runners[key](area, year)
        checks.append(Check(key, str(title), count, problems))
    return checks


def ledger(area: Area, year: int) -> tuple[int, list[Problem]]:
    budgets = Budget.objects.with_totals().filter(area__code__range=area.subtree_bounds, year=year)
    bad_budgets = budgets.filter(Q(unallocated__lt=0) | Q(balance__lt=0)).order_by("area__code", "pk")
    problems = [
        Problem(
            str(budget),
            _(
                "budget %(amount)s = allocated %(allocated)s + unallocated %(unallocated)s; allocated = spent "
                "%(spent)s + balance %(balance)s"
            )
            % {
                "amount": yuan(budget.amount),
                "allocated": yuan(budget.allocated),
                "unallocated": yuan(budget.unallocated),
                "spent": yuan(budget.spent),
                "balance": yuan(budget.balance),
            },
            budget.get_absolute_url(),
        )
        for budget in bad_budgets[:LISTED]
    ]
    overspent = (
        Allocation.objects.with_totals()
        .filter(budget__area__code__range=area.subtree_bounds, budget__year=year, reverses__isnull=True)
        .filter(balance__lt=0)
        .order_by("pk")
    )
    problems += [
        Problem(
            str(allocation),
            _("spent %(spent)s of %(net)s allocated") % {"spent": yuan(allocation.spent), "net": yuan(allocation.net)},
            allocation.get_absolute_url(),
        )
        for allocation in overspent[: max(0, LISTED - len(problems))]
    ]
    return bad_budgets.count() + overspent.count(), problems


def year_logs(area: Area, year: int):
    return ServiceLog.objects.filter(
        village__code__range=area.subtree_bounds, served_on__year=year, status=LogStatus.CONFIRMED
    )


def trainings(area: Area, year: int) -> tuple[int, list[Problem]]:
    logs = (
        year_logs(area, year)
        .filter(kind=ServiceKind.TRAINING, training_event__isnull=False)
        .exclude(training_event__status__in=TOOK_PLACE)
        .select_related("training_event", "expert")
        .order_by("served_on", "pk")
    )
    problems = [
        Problem(
            f"{log.expert} · {log.served_on}",
            _("records the training event “%(event)s”, which did not take place (%(status)s)")
            % {"event": log.training_event, "status": log.training_event.get_status_display()},
            log.get_absolute_url(),
        )
        for log in logs[:LISTED]
    ]
    return logs.count(), problems


def households(area: Area, year: int) -> tuple[int, list[Problem]]:
    logs = year_logs(area, year).filter(other_households__gt=0).select_related("expert").order_by("served_on", "pk")
    problems = [
        Problem(
            f"{log.expert} · {log.served_on}",
            _("counts %(count)d households helped that are not in the registry") % {"count": log.other_households},
            log.get_absolute_url(),
        )
        for log in logs[:LISTED]
    ]
    return logs.count(), problems


def poor_villages_uncovered(area: Area, year: int) -> tuple[int, list[Problem]]:
    figures = coverage(area, year, uncovered_limit=LISTED)
    problems = [
        Problem(
            f"{village.parent.name if village.parent else ''} {village.name}".strip(),
            _("no commissioner nor service team serves it in %(year)d") % {"year": year},
            reverse("regions:area-detail", args=[village.code]),
        )
        for village in figures["uncovered"]
    ]
    return figures["uncovered_count"], problems


def projects_late(area: Area, year: int, as_of: date) -> tuple[int, list[Problem]]:
    late_milestone = Milestone.objects.filter(project=OuterRef("pk"), due_on__lt=as_of, reported_at__isnull=True)
    late_rectification = Rectification.objects.filter(
        project=OuterRef("pk"), status=RectificationStatus.OPEN, deadline__lt=as_of
    )
    projects = (
        Project.objects.filter(
            county__code__range=area.subtree_bounds,
            call__year=year,
            status__in=[ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS],
        )
        .annotate(late_milestone=Exists(late_milestone), late_rectification=Exists(late_rectification))
        .filter(Q(late_milestone=True) | Q(late_rectification=True))
        .order_by("pk")
    )
    problems = []
    for project in projects[:LISTED]:
        reasons = []
        if project.late_milestone:
            reasons.append(_("a milestone is past its due date without a progress report"))
        if project.late_rectification:
            reasons.append(_("a rectification is past its deadline"))
        problems.append(Problem(str(project), "; ".join(reasons), project.get_absolute_url()))
    return projects.count(), problems


def vouchers(area: Area, year: int) -> tuple[int, list[Problem]]:
    expenditures = (
        Expenditure.objects.filter(
            allocation__budget__area__code__range=area.subtree_bounds,
            allocation__budget__year=year,
            reverses__isnull=True,
            reversal__isnull=True,
            voucher="",
        )
        .select_related("allocation")
        .order_by("spent_on", "pk")
    )
    problems = [
        Problem(
            str(expenditure),
            _("spent on %(date)s for %(category)s, no voucher")
            % {"date": expenditure.spent_on, "category": expenditure.get_category_display()},
            expenditure.get_absolute_url(),
        )
        for expenditure in expenditures[:LISTED]
    ]
    return expenditures.count(), problems
