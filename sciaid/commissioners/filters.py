"""FilterSets of the commissioners app, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.choices import AgreementStatus, BatchStatus, CandidateStatus, LogStatus, ServiceKind
from sciaid.commissioners.models import Agreement, Batch, Candidate, ServiceLog, Team
from sciaid.experts.choices import ExpertLevel
from sciaid.regions.filters import AreaScopedFilterSet


class BatchFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BatchStatus.choices)

    class Meta:
        model = Batch
        fields = ["year", "status"]


class CandidateFilter(django_filters.FilterSet):
    batch = django_filters.NumberFilter(field_name="batch_id", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CandidateStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=ExpertLevel.choices)

    class Meta:
        model = Candidate
        fields = ["batch", "status", "level"]


class TeamFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Team
        fields = ["year", "q"]


class AgreementFilter(AreaScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    expert = django_filters.NumberFilter(field_name="expert_id", widget=forms.HiddenInput)

    class Meta:
        model = Agreement
        fields = ["year", "status", "township", "village", "expert"]


class ServiceLogFilter(AreaScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="served_on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(label=_("Type of service"), choices=ServiceKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=LogStatus.choices)
    expert = django_filters.NumberFilter(field_name="expert_id", widget=forms.HiddenInput)
    agreement = django_filters.NumberFilter(field_name="agreement_id", widget=forms.HiddenInput)

    class Meta:
        model = ServiceLog
        fields = ["year", "kind", "status", "township", "village", "expert", "agreement"]
