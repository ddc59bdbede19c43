from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village")


#: Significant digits of the 12-digit division code at each level (2 province, 2 city, 2 county, 3 township, 3 village).
CODE_DIGITS = {
    AreaLevel.PROVINCE: 2,
    AreaLevel.CITY: 4,
    AreaLevel.COUNTY: 6,
    AreaLevel.TOWNSHIP: 9,
    AreaLevel.VILLAGE: 12,
}


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    LACK_OF_SKILLS = "skills", _("Lack of skills")
    LACK_OF_FUNDS = "funds", _("Lack of funds")
    LACK_OF_LABOUR = "labour", _("Lack of labour")
    DISASTER = "disaster", _("Disaster")
    SCHOOLING = "schooling", _("Schooling")
    OTHER = "other", _("Other")


class HouseholdStatus(models.TextChoices):
    POOR = "poor", _("Poor")
    LIFTED = "lifted", _("Lifted out of poverty")
    AT_RISK = "at_risk", _("At risk of return to poverty")
