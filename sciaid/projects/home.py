"""The projects section of each role's home page: where each role's project work starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.core.homepage import register_home_section
from sciaid.core.links import link_target
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.projects.choices import ReviewStatus
from sciaid.projects.models import MANAGERS, Review

#: (url name, label, roles that start their work there). An entry shows only when its page opens for the user
#: (`sciaid.core.links`, the answer the page itself gives), and only for the roles it is meant for.
ENTRIES = (
    ("projects:project-list", _("Projects"), MANAGERS | {Role.SUPERVISOR}),
    ("projects:project-list", _("My projects"), frozenset({Role.APPLICANT})),
    ("projects:call-list", _("Calls for declarations"), MANAGERS | {Role.APPLICANT}),
    ("projects:review-list", _("My reviews"), frozenset({Role.REVIEWER})),
    ("projects:inspection-list", _("Inspections"), MANAGERS | {Role.REVIEWER, Role.SUPERVISOR}),
    ("projects:rectification-list", _("Rectifications"), MANAGERS | {Role.APPLICANT, Role.SUPERVISOR}),
)


@register_home_section
def projects_section(user) -> list[dict]:
    roles = granted_roles(user)
    everything = is_unrestricted(user)
    items = []
    for name, label, allowed in ENTRIES:
        url = link_target(user, name)
        if url is None or not (everything or roles & allowed) or any(item["url"] == url for item in items):
            continue
        item = {"label": label, "url": url}
        if name == "projects:review-list":
            item["count"] = Review.objects.filter(reviewer=user, status=ReviewStatus.ASSIGNED).count()
        items.append(item)
    return [{"title": _("S&T poverty-alleviation projects"), "items": items}] if items else []
