"""What every page shows: the navigation menu, built from the user's roles, and the unread notification count."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.notifications import unread_count
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
    (
        "experts:expert-list",
        _("Experts"),
        frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER, Role.SUPERVISOR, Role.INFO_OFFICER}),
    ),
    (
        "assistance:demand-create",
        _("Submit a demand"),
        frozenset({Role.PLATFORM_ADMIN, Role.INFO_OFFICER, Role.FARMER}),
    ),
    ("assistance:demand-list", _("My demands"), frozenset({Role.PLATFORM_ADMIN, Role.INFO_OFFICER, Role.FARMER})),
    (
        "assistance:triage-queue",
        _("Triage queue"),
        frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER}),
    ),
    ("assistance:expert-inbox", _("Expert inbox"), frozenset({Role.EXPERT})),
    ("assistance:sla", _("SLA targets"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})),
    ("assistance:knowledge-list", _("Knowledge"), ALL),
    (
        "assistance:knowledge-review",
        _("Knowledge review"),
        frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER}),
    ),
    (
        "assistance:statement-list",
        _("Subsidy statements"),
        frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR}),
    ),
    (
        "assistance_reports:statistics",
        _("Service statistics"),
        frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.TRIAGE_OFFICER, Role.SUPERVISOR}),
    ),
    ("commissioners:statistics", _("Commissioners"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})),
    ("commissioners:log-list", _("My service log"), frozenset({Role.EXPERT})),
    (
        "commissioners:workstation-list",
        _("Workstations"),
        frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR, Role.APPLICANT, Role.REVIEWER}),
    ),
    ("commissioners:appraisal-list", _("Appraisals"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})),
    ("commissioners:allocation-list", _("Commissioner funds"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})),
    ("commissioners:appraisal-mine", _("My appraisals"), frozenset({Role.EXPERT})),
    ("funds:ledger", _("Funds"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR})),
    ("projects:project-list", _("Projects"), frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR})),
    ("projects:project-list", _("My projects"), frozenset({Role.APPLICANT})),
    ("projects:review-list", _("My reviews"), frozenset({Role.REVIEWER})),
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
    items = [
        {"url": reverse(name), "label": label, "active": False, "prefix": name != "home"}
        for name, label, allowed in MENU
        if everything or roles & allowed
    ]
    # The most specific item wins: on /demands/queue/ the queue is current, not "My demands" at /demands/.
    matches = [item for item in items if path == item["url"] or (item["prefix"] and path.startswith(item["url"]))]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"menu": items}


def notifications(request):
    """`unread_notifications`: the user's unread count, queried only when a template shows it (once per page).

    Fragments that never show it (htmx polls) cost nothing; anonymous users get no query at all.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": _Once(lambda: unread_count(user))}


class _Once:
    """A template value computed on first use and remembered (templates call callables without arguments)."""

    def __init__(self, compute):
        self._compute = compute
        self._value = None

    def __call__(self):
        if self._value is None:
            self._value = self._compute()
        return self._value
