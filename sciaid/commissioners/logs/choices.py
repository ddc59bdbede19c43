"""Enumerations of service logs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
