from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertLevel(models.TextChoices):
    """Which government level selected the expert: it decides how far from home they are routed."""

    PROVINCE = "province", _("Province-level")
    CITY = "city", _("City-level")
    COUNTY = "county", _("County-level")
