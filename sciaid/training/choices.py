"""Choices of the training app: kinds of event, who organises it, its workflow states, who takes part, how a
sign-in was recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TrainingKind(models.TextChoices):
    PRACTICAL = "practical", _("Practical-technology training for farmers")
    LEADER = "leader", _("Entrepreneur-leader training")
    COMMISSIONER = "commissioner", _("S&T commissioner training")
    DEMONSTRATION = "demonstration", _("On-site demonstration")
    ONLINE = "online", _("Online course")


class OrganiserKind(models.TextChoices):
    BUREAU = "bureau", _("County S&T bureau")
    WORKSTATION = "workstation", _("Workstation")
    COMMISSIONER = "commissioner", _("S&T commissioner")
    PROJECT = "project", _("Project")
    OTHER = "other", _("Other organisation")


class TrainingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for registration")
    HELD = "held", _("Held")
    REPORTED = "reported", pgettext_lazy("training", "Reported")
    CANCELLED = "cancelled", _("Cancelled")


#: People may sign in on the day (and paper sheets be imported) while the event is open or held, not after it is
#: reported: the report closes the attendance.
SIGN_IN_STATES = frozenset({TrainingStatus.PUBLISHED, TrainingStatus.HELD})
#: States in which the event took place and its trainees count.
TOOK_PLACE = frozenset({TrainingStatus.HELD, TrainingStatus.REPORTED})


class ParticipantKind(models.TextChoices):
    HOUSEHOLD = "household", _("Member of a registered household")
    GUEST = "guest", _("Other person (not in the registry)")
    EXPERT = "expert", _("Expert / commissioner")


class SignInSource(models.TextChoices):
    TICK = "tick", _("Ticked on the sign-in list")
    WALK_IN = "walk_in", _("Walk-in added on the day")
    ROSTER = "roster", _("Imported from a paper sheet")
