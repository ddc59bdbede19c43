"""Projects receive ledger money: registered with funds (`sciaid.funds.recipients`), an allocation of kind "project"
picks a funded project of the budget's area instead of naming one in free text. Approval allocates from the call's
budget by itself; this is for money from other budgets (a call that named none, a later top-up)."""

from __future__ import annotations

from django.db.models import QuerySet

from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Budget
from sciaid.funds.recipients import register_recipients
from sciaid.projects.choices import FUNDED
from sciaid.projects.models import Project


def funded_projects(budget: Budget) -> QuerySet[Project]:
    """Approved (and later) projects of the counties under the budget's area."""
    return Project.objects.filter(status__in=FUNDED, county__code__range=budget.area.subtree_bounds).order_by(
        "title", "pk"
    )


def label(project: Project) -> str:
    return f"{project.title} · {project.organisation}"


register_recipients(RecipientKind.PROJECT, funded_projects, label)
