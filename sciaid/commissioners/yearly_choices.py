"""Enumerations of the commissioners' yearly business: workstations, appraisal rounds and ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkstationStatus(models.TextChoices):
    """DESIGN.md §5: applied → under_review → filed | rejected; filed → revoked."""

    APPLIED = "applied", _("Applied")
    UNDER_REVIEW = "under_review", _("Under review")
    FILED = "filed", _("Filed")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    DEMONSTRATION = "demonstration", _("Demonstration")
    GUIDANCE = "guidance", _("Technical guidance")
    OTHER = "other", _("Other")


class Rating(models.TextChoices):
    """Yearly appraisal ratings (优秀 / 合格 / 不合格)."""

    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class RoundStatus(models.TextChoices):
    """A county's yearly appraisal: the rubric is set up, sheets computed, reviewed, then published."""

    DRAFT = "draft", _("Draft")
    COMPUTED = "computed", _("Computed")
    REVIEWED = "reviewed", _("Reviewed")
    PUBLISHED = "published", _("Published")
