"""The roles of DESIGN.md §2. They live in core because jurisdiction scoping, a core mechanism, speaks of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")
    COUNTY_ADMIN = "county_admin", _("County admin")
    TRIAGE_OFFICER = "triage_officer", _("Triage officer")
    INFO_OFFICER = "info_officer", _("Village info officer")
    EXPERT = "expert", _("Expert / commissioner")
    FARMER = "farmer", _("Farmer")
    APPLICANT = "applicant", _("Applicant organisation")
    REVIEWER = "reviewer", _("Reviewer / inspector")
    BUYER = "buyer", _("Buyer institution")
    SUPERVISOR = "supervisor", _("Supervisor")


#: Roles whose work is to manage an area: they see the area's registries.
MANAGING_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Roles that may read personal data (full citizen ID and phone numbers) inside their jurisdiction.
PERSONAL_DATA_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.INFO_OFFICER})
