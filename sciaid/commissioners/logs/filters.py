"""The FilterSet of service logs, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.regions.filters import AreaScopedFilterSet


class ServiceLogFilter(AreaScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="served_on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Type of service"), choices=ServiceKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=LogStatus.choices)
    expert = django_filters.NumberFilter(field_name="expert_id", widget=forms.HiddenInput)
    agreement = django_filters.NumberFilter(field_name="agreement_id", widget=forms.HiddenInput)
    training_event = django_filters.NumberFilter(field_name="training_event_id", widget=forms.HiddenInput)

    class Meta:
        model = ServiceLog
        fields = ["year", "kind", "status", "township", "village", "expert", "agreement", "training_event"]
