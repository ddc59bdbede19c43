"""Enumerations of commissioner workstations."""

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
