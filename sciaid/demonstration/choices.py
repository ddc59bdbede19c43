"""Choices of industrial demonstration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    SITE = "site", _("Demonstration site")
    BASE = "base", _("Demonstration base")
    PARK = "park", _("Demonstration park")


class OperatorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    FAMILY_FARM = "family_farm", _("Family farm")
    HOUSEHOLD = "household", _("Household")


class SiteStatus(models.TextChoices):
    DRAFT = "draft", _("Being entered")
    ACTIVE = "active", _("Demonstrating")
    CLOSED = "closed", _("Closed")


#: States whose sites the public reads: a closed site keeps its public page and history; a draft has none.
PUBLIC_STATES = frozenset({SiteStatus.ACTIVE, SiteStatus.CLOSED})
