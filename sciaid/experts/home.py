"""The experts section of each role's home page: the expert list, pairings, and an expert's own profile."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.homepage import register_home_section
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.experts.models import Expert, Pairing
from sciaid.experts.views import ExpertImportView


@register_home_section
def experts_section(user) -> list[dict]:
    roles = granted_roles(user)
    everything = is_unrestricted(user)
    items = []
    own = Expert.objects.filter(user=user).only("pk").first() if user.is_authenticated else None
    if own is not None:
        items.append({"label": _("My expert profile"), "url": reverse("experts:expert-detail", args=[own.pk])})
    if everything or roles & Expert.scope.roles_for("view"):
        items.append({"label": _("Experts"), "url": reverse("experts:expert-list")})
    if everything or roles & Pairing.scope.roles_for("view"):
        items.append({"label": _("Commissioner pairings"), "url": reverse("experts:pairing-list")})
    if ExpertImportView.may_open(user):
        items.append({"label": _("Import experts"), "url": reverse("experts:expert-import")})
    return [{"title": _("Experts"), "items": items}] if items else []
