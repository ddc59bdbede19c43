"""What every page shows: the navigation menu, built from the user's roles, and the unread notification count."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.core.links import link_target
from sciaid.core.notifications import unread_count
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted

ALL = frozenset(Role.values)
#: Those who run or watch an area rather than work in it.
OFFICIALS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN, Role.SUPERVISOR})

#: (url name, label, audience). An item is shown when its page would open for the user (`sciaid.core.links`, the
#: same answer the page gives when served); an audience narrows it further to the roles the item is meant for, where
#: a page open to more roles is worth a menu item for fewer (admins reach a commissioner's own log from elsewhere).
MENU = [
    ("home", _("Home"), None),
    ("reports:dashboard", _("Dashboard"), None),
    ("regions:area-list", _("Areas"), ALL - {Role.FARMER, Role.BUYER, Role.APPLICANT}),
    ("regions:household-list", _("Households"), None),
    ("regions:visit-stats", _("Cadre visits"), None),
    ("experts:expert-list", _("Experts"), OFFICIALS | {Role.TRIAGE_OFFICER, Role.INFO_OFFICER}),
    ("assistance:demand-create", _("Submit a demand"), None),
    ("assistance:demand-list", _("My demands"), frozenset({Role.INFO_OFFICER, Role.FARMER})),
    ("assistance:triage-queue", _("Triage queue"), None),
    ("assistance:expert-inbox", _("Expert inbox"), frozenset({Role.EXPERT})),
    ("assistance:sla", _("SLA targets"), None),
    ("assistance:knowledge-list", _("Knowledge"), None),
    ("assistance:knowledge-review", _("Knowledge review"), None),
    ("assistance:statement-list", _("Subsidy statements"), None),
    ("assistance_reports:statistics", _("Service statistics"), None),
    ("training:event-list", pgettext_lazy("menu", "Trainings"), None),
    ("training:mine", _("My trainings"), frozenset({Role.FARMER, Role.EXPERT})),
    ("training:statistics", _("Training statistics"), None),
    ("information:item-list", _("News and notices"), None),
    ("information:price-list", _("Market prices"), None),
    ("training:article-list", _("Articles"), None),
    ("achievements:achievement-list", _("Achievements"), None),
    ("market:catalogue", _("Poverty-alleviation products"), frozenset({Role.BUYER})),
    ("market:order-list", _("Product orders"), None),
    ("market:supplier-list", _("Suppliers"), OFFICIALS | {Role.APPLICANT}),
    ("demonstration:site-list", _("Demonstration sites"), None),
    ("commissioners:statistics", _("Commissioners"), None),
    ("commissioners:log-list", _("My service log"), frozenset({Role.EXPERT})),
    ("commissioners:workstation-list", _("Workstations"), OFFICIALS | {Role.APPLICANT, Role.REVIEWER}),
    ("commissioners:appraisal-list", _("Appraisals"), None),
    ("commissioners:allocation-list", _("Commissioner funds"), None),
    ("commissioners:appraisal-mine", _("My appraisals"), frozenset({Role.EXPERT})),
    ("funds:ledger", _("Funds"), None),
    ("projects:project-list", _("Projects"), OFFICIALS),
    ("projects:project-list", _("My projects"), frozenset({Role.APPLICANT})),
    ("projects:review-list", _("My reviews"), frozenset({Role.REVIEWER})),
    ("accounts:user-list", _("Users"), OFFICIALS),
    ("core:audit-list", _("Audit log"), None),
    ("core:job-list", _("My jobs"), OFFICIALS | {Role.TRIAGE_OFFICER, Role.INFO_OFFICER}),
    ("core:calendar", _("Work calendar"), None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    roles = granted_roles(user)
    everything = is_unrestricted(user)
    path = request.path
    items = []
    for name, label, audience in MENU:
        if audience is not None and not (everything or roles & audience):
            continue
        url = link_target(user, name)
        if url is not None:
            items.append({"url": url, "label": label, "active": False, "prefix": name != "home"})
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
