"""Enumerations of the yearly appraisal: ratings (of commissioners and of workstations) and the round's state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
