"""The FilterSet of service teams, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.teams.models import Team


class TeamFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Team
        fields = ["year", "q"]
