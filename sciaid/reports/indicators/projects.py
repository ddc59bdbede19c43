"""S&T poverty-alleviation projects (科技扶贫项目): declared, approved and their amount, and projects by stage.

Declarations and approvals are dated (`submitted_at`, `decided_at`): they count in their month. The stages are where
the projects of the year's calls are now: per year only.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import Period, aware
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import Project
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import Unit, Values, by_county, ratio, source

DECLARED = "projects.declared"
APPROVED = "projects.approved"
APPROVED_AMOUNT = "projects.approved_amount"
#: The states of a project that was approved (and perhaps went on since).
APPROVED_STATES = (
    ProjectStatus.APPROVED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.FINAL_REPORT,
    ProjectStatus.ACCEPTED,
    ProjectStatus.FAILED,
)


def stage_key(status: str) -> str:
    return f"projects.stage_{status}"


@source(
    "projects",
    monthly=True,
    indicators=[
        (DECLARED, _("Projects declared"), Unit.COUNT, _("Declarations submitted in the period.")),
        (APPROVED, _("Projects approved"), Unit.COUNT, _("Projects approved in the period.")),
        (
            APPROVED_AMOUNT,
            _("Amount approved"),
            Unit.YUAN,
            _("Funds approved for the projects approved in the period."),
        ),
    ],
)
def project_figures(period: Period, counties: list[Area]) -> Values:
    """One grouped query."""
    start, end = aware(period.start), aware(period.end)
    approved = Q(status__in=APPROVED_STATES, decided_at__gte=start, decided_at__lt=end)
    return by_county(
        Project.objects.filter(Q(submitted_at__gte=start, submitted_at__lt=end) | approved),
        "county__code",
        counties,
        **{
            DECLARED: Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
            APPROVED: Count("pk", filter=approved),
            APPROVED_AMOUNT: Sum("approved_amount", filter=approved),
        },
    )


@source(
    "project_stages",
    monthly=False,
    indicators=[
        (
            stage_key(value),
            label,
            Unit.COUNT,
            _("Projects of the year's calls now in this stage."),
        )
        for value, label in ProjectStatus.choices
    ],
)
def project_stages(period: Period, counties: list[Area]) -> Values:
    """One grouped query: the projects of the year's calls counted by their stage now."""
    return by_county(
        Project.objects.filter(call__year=period.year),
        "county__code",
        counties,
        **{stage_key(value): Count("pk", filter=Q(status=value)) for value in ProjectStatus.values},
    )


ratio(
    "projects.approval_rate",
    _("Project approval rate"),
    APPROVED,
    DECLARED,
    _("Projects approved per declaration submitted in the period."),
)
