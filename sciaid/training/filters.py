"""FilterSets of the training app, shared by the pages and the API. Township and village choices come from what the
user may see (`AreaScopedFilterSet`)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.core.forms import ISO_DATE_INPUT
from sciaid.regions.filters import AreaScopedFilterSet
from sciaid.training.choices import ParticipantKind, SignInSource, TrainingKind, TrainingStatus
from sciaid.training.models import Attendance, Feedback, Registration, TrainingEvent


class AreaFilterSet(AreaScopedFilterSet):
    """Township and village filters on the area each training record stores."""

    area_path = "area__code"

    @extend_schema_field(OpenApiTypes.STR)
    def filter_village(self, queryset, name, area):
        return super().filter_village(queryset, name, area)


class TrainingEventFilter(AreaFilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind of training"), choices=TrainingKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TrainingStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")
    upcoming = django_filters.BooleanFilter(label=_("Not over yet"), method="filter_upcoming")
    trainer = django_filters.NumberFilter(field_name="trainers", widget=forms.HiddenInput)

    class Meta:
        model = TrainingEvent
        fields = ["q", "kind", "status", "year", "upcoming", "township", "village", "trainer"]

    def filter_upcoming(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(ends_on__gte=today) if value else queryset.filter(ends_on__lt=today)


class RegistrationFilter(AreaFilterSet):
    q = django_filters.CharFilter(label=_("Full name"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Participant"), choices=ParticipantKind.choices)
    attended = django_filters.BooleanFilter(label=_("Signed in"), method="filter_attended")
    walk_in = django_filters.BooleanFilter(label=_("Walk-in"))
    event = django_filters.NumberFilter(field_name="event_id", widget=forms.HiddenInput)

    class Meta:
        model = Registration
        fields = ["q", "kind", "attended", "walk_in", "township", "village", "event"]

    def filter_attended(self, queryset, name, value):
        signed = Exists(Attendance.objects.filter(registration=OuterRef("pk")))
        return queryset.filter(signed) if value else queryset.exclude(signed)


class AttendanceFilter(AreaFilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    day = django_filters.DateFilter(label=_("Day"), widget=ISO_DATE_INPUT)
    source = django_filters.ChoiceFilter(label=_("Recorded by"), choices=SignInSource.choices)

    class Meta:
        model = Attendance
        fields = ["event", "day", "source", "township", "village"]


class FeedbackFilter(AreaFilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    rating = django_filters.NumberFilter(label=_("Rating"))

    class Meta:
        model = Feedback
        fields = ["event", "rating", "township", "village"]
