"""The FilterSet of assistance agreements, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.agreements.models import Agreement
from sciaid.regions.filters import AreaScopedFilterSet


class AgreementFilter(AreaScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    expert = django_filters.NumberFilter(field_name="expert_id", widget=forms.HiddenInput)

    class Meta:
        model = Agreement
        fields = ["year", "status", "township", "village", "expert"]
