"""FilterSets for users and role grants, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.regions.choices import CODE_DIGITS, AreaLevel


def _subtree_bounds(code: str) -> tuple[str, str] | None:
    """The code range under a division code given by a user (trailing zeros mark the level)."""
    code = (code or "").strip()
    if len(code) != 12 or not code.isdigit():
        return None
    for level in (AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP):
        if not code[CODE_DIGITS[level] :].strip("0"):
            prefix = code[: CODE_DIGITS[level]]
            return prefix.ljust(12, "0"), prefix.ljust(12, "9")
    return code, code


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name, username or phone"))
    role = django_filters.ChoiceFilter(choices=Role.choices, method="with_role", label=_("Role"))
    area = django_filters.CharFilter(method="in_area", label=_("Area code"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "area", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value) | Q(phone=value)).distinct()

    # Filtering through grants can repeat a user: each appears once.
    def with_role(self, queryset, name, value):
        return queryset.filter(grants__role=value).distinct()

    def in_area(self, queryset, name, value):
        bounds = _subtree_bounds(value)
        return queryset.filter(grants__area__code__range=bounds).distinct() if bounds else queryset.none()


class RoleGrantFilter(django_filters.FilterSet):
    user = django_filters.NumberFilter(field_name="user_id", label=_("User"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    area = django_filters.CharFilter(method="in_area", label=_("Area code"))

    class Meta:
        model = RoleGrant
        fields = ["user", "role", "area"]

    def in_area(self, queryset, name, value):
        bounds = _subtree_bounds(value)
        return queryset.filter(area__code__range=bounds) if bounds else queryset.none()
