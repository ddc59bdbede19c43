"""The expert-assistance section of each role's home page: where each role's demand work starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sciaid.assistance.models import REQUESTERS
from sciaid.core.homepage import register_home_section
from sciaid.core.links import link_target
from sciaid.core.scoping import granted_roles, is_unrestricted

#: (url name, label, audience): an entry shows when its page opens for the user (`sciaid.core.links`); an audience
#: narrows it to the roles it is meant for ("My demands" opens for the county too, which starts from its queue).
ENTRIES = (
    ("assistance:demand-create", _("Submit a demand"), None),
    ("assistance:demand-list", _("My demands"), REQUESTERS),
    ("assistance:triage-queue", _("Triage queue"), None),
    ("assistance:expert-inbox", _("Expert inbox"), None),
)


@register_home_section
def assistance_section(user) -> list[dict]:
    roles, everything = granted_roles(user), is_unrestricted(user)
    items = []
    for name, label, audience in ENTRIES:
        url = link_target(user, name) if everything or audience is None or roles & audience else None
        if url is not None:
            items.append({"label": label, "url": url})
    return [{"title": _("Expert assistance"), "items": items}] if items else []
