"""FilterSets of the selection, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.selection.choices import BatchStatus, CandidateStatus
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.experts.choices import ExpertLevel


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
