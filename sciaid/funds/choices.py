from django.db import models
from django.utils.translation import gettext_lazy as _


class RecipientKind(models.TextChoices):
    """Who an allocation goes to."""

    COMMISSIONER = "commissioner", _("S&T commissioner")
    WORKSTATION = "workstation", _("Workstation")
    PROJECT = "project", _("Project")
    PLATFORM = "platform", _("County platform operation")
    ORGANISATION = "organisation", _("Organisation")


class ExpenditureCategory(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidies")
    STAFF = "staff", _("Temporary staff salary")
    EQUIPMENT = "equipment", _("Equipment")
    TRAINING = "training", _("Training")
    TRAVEL = "travel", _("Travel")
    MATERIALS = "materials", _("Materials")
    OTHER = "other", _("Other")
