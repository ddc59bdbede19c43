"""The navigation menu, built from the user's roles so each role sees its own work."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted

ALL = frozenset(Role.values)

#: (url name, label, roles that see the item). Later apps add their queues here.
MENU = [
    ("home", _("Home"), ALL),
    ("regions:area-list", _("Areas"), ALL - {Role.FARMER, Role.BUYER, Role.APPLICANT}),
    (
        "regions:household-list",
        _("Households"),
        frozenset(
            {
                Role.PLATFORM_ADMIN,
                Role.COUNTY_ADMIN,
                Role.INFO_OFFICER,
                Role.TRIAGE_OFFICER,
                Role.SUPERVISOR,
                Role.FARMER,
            }
        ),
    ),
    ("regions:visit-stats", _("Cadre visits"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR})),
    ("accounts:user-list", _("Users"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR})),
    ("core:audit-list", _("Audit log"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR})),
    ("core:job-list", _("My jobs"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    roles = granted_roles(user)
    everything = is_unrestricted(user)
    path = request.path
    items = []
    for name, label, allowed in MENU:
        if everything or roles & allowed:
            url = reverse(name)
            active = path == url if name == "home" else path.startswith(url)
            items.append({"url": url, "label": label, "active": active})
    return {"menu": items}
