"""The demand filters, shared by the HTML lists and the API (township and village limited to the user's scope)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.choices import (
    OPEN_ASSIGNMENTS,
    OPEN_STATES,
    DemandStatus,
    KnowledgeStatus,
    StatementStatus,
    Urgency,
)
from sciaid.assistance.models import Demand, KnowledgeEntry, SubsidyStatement
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles
from sciaid.experts.models import Specialty
from sciaid.regions.filters import AreaScopedFilterSet


class DemandFilter(AreaScopedFilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=DemandStatus.choices)
    specialty = django_filters.ModelChoiceFilter(
        label=_("Specialty"), to_field_name="code", queryset=Specialty.objects.all(), method="filter_specialty"
    )
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=Urgency.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    assigned_to_me = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_assigned_to_me")
    household = django_filters.NumberFilter(field_name="household_id", widget=forms.HiddenInput)

    class Meta:
        model = Demand
        fields = [
            "q",
            "status",
            "specialty",
            "township",
            "village",
            "urgency",
            "overdue",
            "assigned_to_me",
            "household",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only an expert has assignments: to anyone else "assigned to me" would be a filter that means nothing.
        if Role.EXPERT not in granted_roles(getattr(self.request, "user", None)):
            del self.filters["assigned_to_me"]
            self.form.fields.pop("assigned_to_me")

    def filter_specialty(self, queryset, name, specialty):
        """A specialty and the ones under it (planting finds vegetables too)."""
        return queryset.filter(Q(specialty=specialty) | Q(specialty__parent=specialty))

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN_STATES, due_at__lt=timezone.now(), paused_since__isnull=True)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_assigned_to_me(self, queryset, name, value):
        """An expert's inbox: demands with an assignment to them that is still waiting or accepted."""
        user = getattr(self.request, "user", None)
        mine = Q(assignments__expert__user_id=getattr(user, "pk", None), assignments__status__in=OPEN_ASSIGNMENTS)
        ids = Demand.objects.filter(mine).values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class KnowledgeFilter(django_filters.FilterSet):
    """Knowledge entries by words of their title or solution, state and specialty (with the ones under it)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=KnowledgeStatus.choices)
    specialty = django_filters.ModelChoiceFilter(
        label=_("Specialty"), to_field_name="code", queryset=Specialty.objects.all(), method="filter_specialty"
    )

    class Meta:
        model = KnowledgeEntry
        fields = ["q", "status", "specialty"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def filter_specialty(self, queryset, name, specialty):
        return queryset.filter(Q(specialty=specialty) | Q(specialty__parent=specialty))


class StatementFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StatementStatus.choices)

    class Meta:
        model = SubsidyStatement
        fields = ["year", "status"]
