"""Choices of achievement transformation: kinds, maturity and transfer modes of an achievement; the states of the
catalogue entry, the technology need and the transfer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AchievementKind(models.TextChoices):
    VARIETY = "variety", _("New variety")
    TECHNIQUE = "technique", _("Technique")
    EQUIPMENT = "equipment", _("Equipment")
    STANDARD = "standard", _("Standard")
    PATENT = "patent", _("Patent")


class Maturity(models.TextChoices):
    """How far from the laboratory an achievement is; a mature one is the safer bet for a poor village."""

    RESEARCH = "research", _("Research stage")
    PILOT = "pilot", _("Pilot tested")
    DEMONSTRATED = "demonstrated", _("Demonstrated in the field")
    MATURE = "mature", _("Mature, widely applied")


class TransferMode(models.TextChoices):
    LICENCE = "licence", _("Licence")
    ASSIGNMENT = "assignment", _("Assignment")
    COOPERATION = "cooperation", _("Cooperation")
    FREE_EXTENSION = "free_extension", _("Free extension")


class RequesterKind(models.TextChoices):
    COUNTY = "county", _("County")
    COOPERATIVE = "cooperative", _("Cooperative")
    ENTERPRISE = "enterprise", _("Enterprise")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class TransferStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    APPLIED = "applied", _("Applied")
    EVALUATED = "evaluated", _("Evaluated")
    CANCELLED = "cancelled", _("Cancelled")


#: A transfer counts as "introduced" once applied (and still once evaluated).
INTRODUCED_STATES = (TransferStatus.APPLIED, TransferStatus.EVALUATED)
#: Kinds counted as new varieties / new techniques introduced.
INTRODUCED_KINDS = {AchievementKind.VARIETY: "varieties", AchievementKind.TECHNIQUE: "techniques"}
