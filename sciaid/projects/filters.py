"""The project filters, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.core.filters import OpensOnLatestYear
from sciaid.projects.choices import CallKind, ProjectStatus, RectificationStatus, ReviewStatus
from sciaid.projects.models import Call, Inspection, Project, Rectification, Review


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CallKind.choices)

    class Meta:
        model = Call
        fields = ["q", "year", "kind"]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    call = django_filters.NumberFilter(label=pgettext_lazy("project call", "Call"), field_name="call_id")
    year = django_filters.NumberFilter(label=_("Year"), field_name="call__year")

    class Meta:
        model = Project
        fields = ["q", "status", "call", "year"]


class ProjectPageFilter(OpensOnLatestYear, ProjectFilter):
    """The project list page opens on the latest call year with projects the user may see."""

    year_path = "call__year"


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices)
    project = django_filters.NumberFilter(label=_("Project"), field_name="project_id")

    class Meta:
        model = Review
        fields = ["status", "project"]


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = Inspection
        fields = ["q", "year"]


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationStatus.choices)
    project = django_filters.NumberFilter(label=_("Project"), field_name="project_id")
    overdue = django_filters.BooleanFilter(label=pgettext_lazy("rectification", "Overdue"), method="filter_overdue")

    class Meta:
        model = Rectification
        fields = ["status", "project", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = {"status": RectificationStatus.OPEN, "deadline__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
