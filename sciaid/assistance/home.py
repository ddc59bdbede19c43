"""The expert-assistance section of each role's home page: where each role's demand work starts."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.assistance import views
from sciaid.core.homepage import register_home_section

#: (url name, label, the view whose roles may use it)
ENTRIES = (
    ("assistance:demand-create", _("Submit a demand"), views.DemandSubmitView),
    ("assistance:demand-list", _("My demands"), views.DemandListView),
    ("assistance:triage-queue", _("Triage queue"), views.TriageQueueView),
    ("assistance:expert-inbox", _("Expert inbox"), views.ExpertInboxView),
)


@register_home_section
def assistance_section(user) -> list[dict]:
    items = [{"label": label, "url": reverse(name)} for name, label, view in ENTRIES if view.allows(user)]
    return [{"title": _("Expert assistance"), "items": items}] if items else []
