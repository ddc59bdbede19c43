from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallKind(models.TextChoices):
    """The kinds of project call the seeds' counties publish."""

    DEMONSTRATION = "demonstration", _("Demonstration")
    TRANSFER_PAYMENT = "transfer_payment", _("Transfer-payment demonstration")
    SPECIAL = "special", _("Special project")


class ProjectStatus(models.TextChoices):
    """Where a project is in its life (DESIGN.md §5)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", pgettext_lazy("project", "Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    FINAL_REPORT = "final_report", _("Final report submitted")
    ACCEPTED = "accepted", _("Passed acceptance")
    FAILED = "failed", _("Failed acceptance")


class IndicatorKind(models.TextChoices):
    """The indicators a declaration promises (the issue's list); `other` for anything else."""

    HOUSEHOLDS = "households", _("Households driven")
    POOR_HOUSEHOLDS = "poor_households", _("Of them poor households")
    AREA = "area", pgettext_lazy("indicator", "Area")
    YIELD = "yield", _("Yield increase")
    INCOME = "income", _("Income increase")
    TRAINEES = "trainees", _("Trainees")
    VARIETIES = "varieties", _("New varieties")
    TECHNIQUES = "techniques", _("New techniques")
    OTHER = "other", _("Other")


class BudgetCategory(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    MATERIALS = "materials", _("Materials")
    TRAINING = "training", _("Training")
    TRAVEL = "travel", _("Travel")
    LABOUR = "labour", _("Labour")
    CONSULTING = "consulting", _("Expert consulting")
    OTHER = "other", _("Other")


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Waiting for scores")
    SUBMITTED = "submitted", _("Scored")


class Verdict(models.TextChoices):
    """The acceptance committee's verdict (验收结论)."""

    PASSED = "passed", _("Passed")
    CONDITIONAL = "conditional", _("Passed with conditions")
    FAILED = "failed", pgettext_lazy("acceptance", "Failed")


class FindingLevel(models.TextChoices):
    """What an inspector concluded about one drawn project."""

    GOOD = "good", _("No problems")
    MINOR = "minor", _("Minor problems")
    SERIOUS = "serious", _("Serious problems")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Not yet rectified")
    SUBMITTED = "submitted", _("Evidence submitted")
    CLOSED = "closed", pgettext_lazy("rectification", "Closed")


#: States in which the county is still deciding on a declaration.
DECIDING = frozenset({ProjectStatus.SUBMITTED, ProjectStatus.UNDER_REVIEW})
#: States of a project that holds money (approved and later, but not rejected).
FUNDED = frozenset(
    {
        ProjectStatus.APPROVED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.FINAL_REPORT,
        ProjectStatus.ACCEPTED,
        ProjectStatus.FAILED,
    }
)
#: Rectification states that still wait for someone.
OPEN_RECTIFICATIONS = frozenset({RectificationStatus.OPEN, RectificationStatus.SUBMITTED})
