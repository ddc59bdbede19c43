"""FilterSets of industrial demonstration, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.core.forms import ListSelect
from sciaid.demonstration.choices import OperatorKind, SiteKind, SiteStatus
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import ScopedAreaFilterMixin, in_subtree, readable_areas
from sciaid.regions.models import Area


class SiteFields(django_filters.FilterSet):
    """What the county's list and the public list share."""

    q = django_filters.CharFilter(label=_("Name or operator"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SiteKind.choices)
    operator_kind = django_filters.ChoiceFilter(label=_("Operator kind"), choices=OperatorKind.choices)
    industry = django_filters.ModelChoiceFilter(
        label=_("Industry"), queryset=Specialty.objects.all(), to_field_name="code", method="filter_industry"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SiteStatus.choices)

    class Meta:
        model = DemoSite
        fields = ["q", "kind", "operator_kind", "industry", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(operator_name__icontains=value))

    @extend_schema_field(OpenApiTypes.STR)
    def filter_industry(self, queryset, name, industry):
        """The industry or any below it (aquaculture finds the river-crab bases)."""
        below = Specialty.objects.filter(Q(pk=industry.pk) | Q(parent=industry) | Q(parent__parent=industry))
        return queryset.filter(industry__in=below)


class SiteFilter(ScopedAreaFilterMixin, SiteFields):
    """The county's list (pages and API): the area is one the reader may see, a code box at province scale."""

    area = django_filters.ModelChoiceFilter(
        label=_("Area"), to_field_name="code", queryset=readable_areas, method=in_subtree("village__code")
    )

    class Meta(SiteFields.Meta):
        fields = ["q", "kind", "operator_kind", "industry", "status", "area"]


class PublicSiteFilter(SiteFields):
    """The public list: by county (or city, province), industry and kind; no states, no operator search (an
    operating household's name is not public)."""

    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    area = django_filters.ModelChoiceFilter(
        label=_("County"),
        to_field_name="code",
        queryset=Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code"),
        method=in_subtree("village__code"),
        widget=ListSelect,
    )

    class Meta(SiteFields.Meta):
        fields = ["q", "area", "industry", "kind", "operator_kind"]


class FiguresFilter(ScopedAreaFilterMixin, django_filters.FilterSet):
    site = django_filters.NumberFilter(label=_("Site number"), field_name="site_id")
    year = django_filters.NumberFilter(label=_("Year"))
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), to_field_name="code", queryset=readable_areas, method=in_subtree("site__village__code")
    )

    class Meta:
        model = SiteFigures
        fields = ["site", "year", "area"]
