"""FilterSets of the information service, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.core.forms import ISO_DATE_INPUT, ListSelect
from sciaid.core.publishing import PublicationStatus
from sciaid.core.search import SearchLastMixin, ranked
from sciaid.information.choices import NewsCategory
from sciaid.information.models import Market, MarketPrice, NewsItem, Product, near
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import in_subtree
from sciaid.regions.models import Area


class NewsFilter(SearchLastMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=NewsCategory.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PublicationStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="published_on", lookup_expr="year")
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        to_field_name="code",
        queryset=Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code"),
        method="filter_area",
        widget=ListSelect,
    )

    class Meta:
        model = NewsItem
        fields = ["q", "category", "status", "year", "area"]

    @extend_schema_field(OpenApiTypes.STR)
    def search(self, queryset, name, value):
        """Chinese words of the title and text, or pinyin (full or initials) of the title, best matches first
        (`core.search`)."""
        return ranked(queryset, value, pinyin=("title_pinyin", "title_initials"), title="title")

    @extend_schema_field(OpenApiTypes.STR)
    def filter_area(self, queryset, name, area):
        """Items published for the area, its subtree and the areas above it (what a county's readers get: the
        county's and the province's)."""
        return queryset.filter(near(area, "area__code"))


class PublicNewsFilter(NewsFilter):
    """The public list has no states to choose: it shows published items only."""

    class Meta(NewsFilter.Meta):
        fields = ["q", "category", "year", "area"]


class PriceFilter(django_filters.FilterSet):
    product = django_filters.ModelChoiceFilter(label=_("Product"), queryset=Product.objects.all())
    market = django_filters.ModelChoiceFilter(label=_("Market"), queryset=Market.objects.all())
    since = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=ISO_DATE_INPUT)
    until = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=ISO_DATE_INPUT)
    area = django_filters.ModelChoiceFilter(
        label=_("Area"),
        to_field_name="code",
        queryset=Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code"),
        method=in_subtree("market__area__code"),
        widget=ListSelect,
    )

    class Meta:
        model = MarketPrice
        fields = ["product", "market", "since", "until", "area"]
