"""Enumerations of the yearly selection of commissioners."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")


class CandidateSource(models.TextChoices):
    """How an expert entered a batch: on their own, nominated by their organisation, or on an imported roster."""

    APPLIED = "applied", _("Own application")
    NOMINATED = "nominated", _("Nominated by organisation")
    ROSTER = "roster", _("Imported roster")


class CandidateStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
