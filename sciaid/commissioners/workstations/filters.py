"""The FilterSet of workstations, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.workstations.choices import WorkstationStatus
from sciaid.commissioners.workstations.models import Workstation
from sciaid.regions.filters import AreaScopedFilterSet


class WorkstationFilter(AreaScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name, organisation or industry"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WorkstationStatus.choices)

    class Meta:
        model = Workstation
        fields = ["q", "status", "township", "village"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(name__icontains=text) | Q(organisation__icontains=text) | Q(industry__icontains=text))
