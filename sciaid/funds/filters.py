"""FilterSets of the funds ledger, shared by the pages and the API: by area (its whole subtree), year, source,
recipient kind and category. Area choices come from what the user may see (provinces, cities, counties)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.core.filters import OpensOnLatestYear
from sciaid.funds.choices import ExpenditureCategory, RecipientKind
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import in_subtree, user_of
from sciaid.regions.models import Area

#: Above this many areas in scope, the area filter is a division-code box.
AREA_SELECT_LIMIT = 40


def ledger_areas(request):
    """The province, cities and counties the user may see: the areas budgets are kept for."""
    user = user_of(request)
    if user is None:
        return Area.objects.none()
    return Area.objects.for_user(user).filter(level__lte=AreaLevel.COUNTY).order_by("code")


def area_filter(path: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Area"), to_field_name="code", queryset=ledger_areas, method=in_subtree(path)
    )


class AreaWidgetMixin:
    """A province has ~200 cities and counties: beyond a few dozen, the area is typed as a division code (the
    per-area summary links every area anyway) instead of rendering a long select on every ledger page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.form.fields["area"]
        if field.queryset.count() > AREA_SELECT_LIMIT:
            attrs = {"inputmode": "numeric", "maxlength": 12, "placeholder": "340422000000"}
            field.widget = forms.TextInput(attrs=attrs)


class BudgetFilter(AreaWidgetMixin, django_filters.FilterSet):
    area = area_filter("area__code")
    year = django_filters.NumberFilter(label=_("Year"))
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), queryset=FundSource.objects.all(), to_field_name="code"
    )
    q = django_filters.CharFilter(label=_("Purpose"), field_name="purpose", lookup_expr="icontains")

    class Meta:
        model = Budget
        fields = ["area", "year", "source", "q"]


class LedgerFilter(OpensOnLatestYear, BudgetFilter):
    """The ledger page's budgets, opening on the latest year."""


class AllocationFilter(AreaWidgetMixin, django_filters.FilterSet):
    area = area_filter("budget__area__code")
    year = django_filters.NumberFilter(label=_("Year"), field_name="budget__year")
    budget = django_filters.NumberFilter(label=_("Budget"), field_name="budget_id")
    recipient_kind = django_filters.ChoiceFilter(label=_("Recipient kind"), choices=RecipientKind.choices)
    q = django_filters.CharFilter(label=_("Recipient or purpose"), method="filter_q")

    class Meta:
        model = Allocation
        fields = ["area", "year", "budget", "recipient_kind", "q"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(recipient_name__icontains=text) | Q(purpose__icontains=text)) if text else queryset


class ExpenditureFilter(AreaWidgetMixin, django_filters.FilterSet):
    area = area_filter("allocation__budget__area__code")
    year = django_filters.NumberFilter(label=_("Year"), field_name="allocation__budget__year")
    allocation = django_filters.NumberFilter(label=_("Allocation"), field_name="allocation_id")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=ExpenditureCategory.choices)
    q = django_filters.CharFilter(label=_("Payee or description"), method="filter_q")

    class Meta:
        model = Expenditure
        fields = ["area", "year", "allocation", "category", "q"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(payee__icontains=text) | Q(description__icontains=text)) if text else queryset
