"""FilterSets of achievement transformation, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.achievements.choices import (
    AchievementKind,
    Maturity,
    NeedStatus,
    RequesterKind,
    TransferMode,
    TransferStatus,
)
from sciaid.achievements.models import Achievement, TechnologyNeed, Transfer
from sciaid.core.forms import ListSelect
from sciaid.core.publishing import PublicationStatus
from sciaid.core.search import SearchLastMixin, ranked
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import ScopedAreaFilterMixin, in_subtree, readable_areas
from sciaid.regions.models import Area

COUNTIES_AND_ABOVE = Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code")


class AchievementFilter(SearchLastMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AchievementKind.choices)
    maturity = django_filters.ChoiceFilter(label=_("Maturity"), choices=Maturity.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Specialty.objects.all(), to_field_name="code", method="filter_industry"
    )
    mode = django_filters.ChoiceFilter(label=_("Transfer mode"), choices=TransferMode.choices, method="filter_mode")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PublicationStatus.choices)
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), to_field_name="code", queryset=COUNTIES_AND_ABOVE, method="filter_area", widget=ListSelect
    )

    class Meta:
        model = Achievement
        fields = ["q", "kind", "maturity", "industry", "mode", "status", "area"]

    @extend_schema_field(OpenApiTypes.STR)
    def search(self, queryset, name, value):
        """Chinese words or pinyin (full or initials) of the title, best matches first (`core.search`)."""
        return ranked(queryset, value, pinyin=("title_pinyin", "title_initials"), title="title")

    @extend_schema_field(OpenApiTypes.STR)
    def filter_industry(self, queryset, name, industry):
        """The industry or any below it (aquaculture finds the river-crab techniques)."""
        below = Specialty.objects.filter(Q(pk=industry.pk) | Q(parent=industry) | Q(parent__parent=industry))
        return queryset.filter(industries__in=below).distinct()

    def filter_mode(self, queryset, name, value):
        return queryset.filter(transfer_modes__icontains=f'"{value}"')

    @extend_schema_field(OpenApiTypes.STR)
    def filter_area(self, queryset, name, area):
        """The catalogue offered to an area's people: of the area and below, and of the areas above it."""
        return queryset.filter(Q(area__code__range=area.subtree_bounds) | Q(area__code__in=area.ancestor_codes()))


class PublicAchievementFilter(AchievementFilter):
    """The public catalogue has no states to choose: it shows published entries only."""

    class Meta(AchievementFilter.Meta):
        fields = ["q", "kind", "maturity", "industry", "mode", "area"]


class NeedFilter(ScopedAreaFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NeedStatus.choices)
    requester_kind = django_filters.ChoiceFilter(label=_("Requester kind"), choices=RequesterKind.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Specialty.objects.all(), to_field_name="code"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), to_field_name="code", queryset=readable_areas, method=in_subtree("area__code")
    )

    class Meta:
        model = TechnologyNeed
        fields = ["q", "status", "requester_kind", "industry", "area"]


class TransferFilter(ScopedAreaFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recipient or achievement"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TransferStatus.choices)
    mode = django_filters.ChoiceFilter(label=_("Transfer mode"), choices=TransferMode.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AchievementKind.choices, field_name="achievement__kind")
    year = django_filters.NumberFilter(label=_("Year"), field_name="signed_on", lookup_expr="year")
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), to_field_name="code", queryset=readable_areas, method=in_subtree("area__code")
    )

    class Meta:
        model = Transfer
        fields = ["q", "status", "mode", "kind", "year", "area"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(recipient__icontains=value) | Q(achievement__title__icontains=value))
