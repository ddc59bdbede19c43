"""FilterSets of the experts app, shared by the HTML lists and the API.

A specialty filter covers its whole subtree (planting finds the vegetable and tea experts too); the tree is small, so
its descendants are worked out in Python from one query.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.filters import AreaScopedFilterSet


def subtree_ids(specialty: Specialty) -> set[int]:
    """The specialty and every specialty below it, from one query over the (small) tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Specialty.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = set(), [specialty.pk]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, organisation or expertise"), method="filter_q")
    specialty = django_filters.ModelChoiceFilter(
        label=_("Specialty"),
        queryset=Specialty.objects.select_related("parent").order_by("parent_id", "position", "code"),
        to_field_name="code",
        method="filter_specialty",
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ExpertLevel.choices)
    commissioner = django_filters.BooleanFilter(label=_("S&T commissioner"), field_name="is_commissioner")
    active = django_filters.BooleanFilter(label=pgettext_lazy("expert", "Active"), field_name="is_active")

    class Meta:
        model = Expert
        fields = ["q", "specialty", "level", "commissioner", "active"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(organisation__icontains=text) | Q(expertise__icontains=text))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_specialty(self, queryset, name, specialty):
        # A subquery instead of a join, so an expert with two matching specialties is listed once.
        matching = Expert.specialties.through.objects.filter(specialty_id__in=subtree_ids(specialty))
        return queryset.filter(pk__in=matching.values("expert_id"))


class PairingFilter(AreaScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    expert = django_filters.NumberFilter(field_name="expert_id", widget=forms.HiddenInput)

    class Meta:
        model = Pairing
        fields = ["year", "township", "village", "expert"]


class SpecialtyFilter(django_filters.FilterSet):
    parent = django_filters.NumberFilter(field_name="parent_id", widget=forms.HiddenInput)

    class Meta:
        model = Specialty
        fields = ["parent"]
