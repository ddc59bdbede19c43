"""FilterSets of the market, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.core.forms import ListSelect
from sciaid.core.search import SearchLastMixin, ranked
from sciaid.market.choices import CertificateStatus, OrderStatus, ProductCategory, ProductStatus, SupplierKind
from sciaid.market.models import Beneficiary, Buyer, Certificate, Order, OrderLine, Payment, Product, Quota, Supplier
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


def by_name(queryset, name, value):
    """Name or its pinyin (full or initials), for suppliers and buyers."""
    value = (value or "").strip()
    if not value:
        return queryset
    compact = value.lower().replace(" ", "")
    return queryset.filter(Q(name__icontains=value) | Q(pinyin__contains=compact) | Q(initials__startswith=compact))


class CatalogueFilter(SearchLastMixin, django_filters.FilterSet):
    """What a buyer (or a visitor) looks for: words or pinyin, county, category, price range."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    county = django_filters.ModelChoiceFilter(
        label=_("County"),
        queryset=Area.objects.filter(level=AreaLevel.COUNTY).order_by("code"),
        to_field_name="code",
        method="filter_county",
        widget=ListSelect,
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=ProductCategory.choices)
    price_min = django_filters.NumberFilter(label=_("Price from"), field_name="price", lookup_expr="gte")
    price_max = django_filters.NumberFilter(label=_("Price up to"), field_name="price", lookup_expr="lte")

    class Meta:
        model = Product
        fields = ["q", "county", "category", "price_min", "price_max"]

    @extend_schema_field(OpenApiTypes.STR)
    def filter_q(self, queryset, name, value):
        """Chinese words of the name and description, or pinyin (full or initials) of the name: "fuxi", "fxdm" or
        "大米" find 富硒大米; best matches first (`core.search`)."""
        return ranked(queryset, value, pinyin=("pinyin", "initials"), title="name")

    @extend_schema_field(OpenApiTypes.STR)
    def filter_county(self, queryset, name, area):
        return queryset.filter(supplier__area__code__range=area.subtree_bounds)


class ProductFilter(CatalogueFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProductStatus.choices)
    supplier = django_filters.NumberFilter(field_name="supplier_id", widget=forms.HiddenInput)

    class Meta:
        model = Product
        fields = ["q", "status", "category", "county", "price_min", "price_max", "supplier"]


class SupplierFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method=by_name)
    kind = django_filters.ChoiceFilter(label=_("Kind of supplier"), choices=SupplierKind.choices)
    county_only = django_filters.BooleanFilter(label=_("Sells within its county only"))

    class Meta:
        model = Supplier
        fields = ["q", "kind", "county_only"]


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Certificate number"), field_name="number", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices)
    supplier = django_filters.NumberFilter(field_name="supplier_id", widget=forms.HiddenInput)

    class Meta:
        model = Certificate
        fields = ["q", "status", "supplier"]


class BeneficiaryFilter(django_filters.FilterSet):
    supplier = django_filters.NumberFilter(field_name="supplier_id")

    class Meta:
        model = Beneficiary
        fields = ["supplier"]


class BuyerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method=by_name)

    class Meta:
        model = Buyer
        fields = ["q"]


class QuotaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buyer institution"), field_name="buyer__name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label=_("Year"))
    buyer = django_filters.NumberFilter(field_name="buyer_id", widget=forms.HiddenInput)

    class Meta:
        model = Quota
        fields = ["q", "year", "buyer"]


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buyer or supplier"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="placed_on", lookup_expr="year")
    buyer = django_filters.NumberFilter(field_name="buyer_id", widget=forms.HiddenInput)
    supplier = django_filters.NumberFilter(field_name="supplier_id", widget=forms.HiddenInput)

    class Meta:
        model = Order
        fields = ["q", "status", "year", "buyer", "supplier"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return (
            queryset.filter(Q(buyer__name__icontains=value) | Q(supplier__name__icontains=value)) if value else queryset
        )


class OrderLineFilter(django_filters.FilterSet):
    order = django_filters.NumberFilter(field_name="order_id")

    class Meta:
        model = OrderLine
        fields = ["order"]


class PaymentFilter(django_filters.FilterSet):
    order = django_filters.NumberFilter(field_name="order_id")

    class Meta:
        model = Payment
        fields = ["order"]
