"""Enumerations of assistance agreements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    FULFILLED = "fulfilled", _("Fulfilled")
    TERMINATED = "terminated", _("Terminated")


#: The agreement targets and the service-log figure each is measured by (target field → progress key).
TARGETS = (
    ("target_trainings", "trainings"),
    ("target_trainees", "trainees"),
    ("target_varieties", "varieties"),
    ("target_techniques", "techniques"),
    ("target_households", "households"),
)
