"""FilterSets of the commissioners' year (workstations, appraisal sheets), shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.models import Appraisal, Workstation
from sciaid.commissioners.yearly_choices import Rating, WorkstationStatus
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


class AppraisalFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="rubric__year", label=_("Year"))
    county = django_filters.CharFilter(field_name="rubric__county__code", label=_("County code"))
    rating = django_filters.ChoiceFilter(label=_("Rating"), choices=Rating.choices)
    expert = django_filters.NumberFilter(field_name="expert_id", label=_("Commissioner"))

    class Meta:
        model = Appraisal
        fields = ["year", "county", "rating", "expert"]
