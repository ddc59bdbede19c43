"""Enumerations of the commissioners app (selection, agreements, service logs)."""

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


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    FULFILLED = "fulfilled", _("Fulfilled")
    TERMINATED = "terminated", _("Terminated")


class ServiceKind(models.TextChoices):
    TRAINING = "training", _("Practical-technology training")
    GUIDANCE = "guidance", _("On-site guidance")
    CONSULTATION = "consultation", _("Consultation")
    VARIETY = "variety", _("Variety promotion")
    TECHNIQUE = "technique", _("Technique introduction")
    DEMONSTRATION = "demonstration", _("Demonstration")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship support")


class LogStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned for correction")


#: The agreement targets and the service-log figure each is measured by (target field → progress key).
TARGETS = (
    ("target_trainings", "trainings"),
    ("target_trainees", "trainees"),
    ("target_varieties", "varieties"),
    ("target_techniques", "techniques"),
    ("target_households", "households"),
)
