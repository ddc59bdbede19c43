"""The FilterSet of allocation rules, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.allocation.models import AllocationRule


class AllocationRuleFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    county = django_filters.CharFilter(field_name="county__code", label=_("County code"))
    posted = django_filters.BooleanFilter(field_name="posted_at", lookup_expr="isnull", exclude=True, label=_("Posted"))

    class Meta:
        model = AllocationRule
        fields = ["year", "county", "posted"]
