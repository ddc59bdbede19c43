"""FilterSets of the regions app, shared by the HTML lists and the API.

Every choice a filter offers comes from what the requesting user may see, so a list never names another county's
villages. A province has ~50,000 villages: the village filter is a select only when the user's scope is small, and a
division-code text box otherwise.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sciaid.core.scoping import VIEW
from sciaid.regions.choices import AreaLevel, HouseholdStatus, PovertyCause
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit

#: Above this many areas in scope, an area is chosen by typing its code instead of from a select.
AREA_SELECT_LIMIT = 500


def user_of(request):
    return getattr(request, "user", None)


def scoped_areas(user, level: int, action: str = VIEW) -> QuerySet[Area]:
    """The areas of one level that `user` may see (or change): the only choices a filter or form may offer."""
    if user is None:
        return Area.objects.none()
    return Area.objects.for_user(user, action).filter(level=level).order_by("code")


class AreaWidget(forms.Widget):
    """A select of the field's areas for a small scope, a division-code text box past AREA_SELECT_LIMIT of them.

    Which of the two is decided when the widget is first rendered, with one query of at most AREA_SELECT_LIMIT + 1
    (value, name) pairs: a form that is only validated (API filters, exports) queries nothing, and a rendered one
    does not count the areas first. The options are written in one pass, not one template each (Django's `Select`):
    a county's ~300 villages took most of a household list page's time that way.
    """

    def __init__(self, queryset, value_field: str, empty_label: str | None, example: str):
        super().__init__()
        self.queryset = queryset
        self.value_field = value_field
        self.empty_label = empty_label
        self.example = example
        self._options: list[tuple[str, str]] | None = None
        self._fetched = False

    def __deepcopy__(self, memo):
        # A copy (a new form's field) must ask the database again: the options belong to one user's request.
        copied = super().__deepcopy__(memo)
        copied._options, copied._fetched = None, False
        return copied

    def options(self) -> list[tuple[str, str]] | None:
        """The areas as (value, name) in the queryset's order, or None when there are too many for a select."""
        if not self._fetched:
            pairs = list(self.queryset.values_list(self.value_field, "name")[: AREA_SELECT_LIMIT + 1])
            self._options = None if len(pairs) > AREA_SELECT_LIMIT else [(str(v), name) for v, name in pairs]
            self._fetched = True
        return self._options

    @property
    def input_type(self) -> str:
        return "select" if self.options() is not None else "text"

    def render(self, name, value, attrs=None, renderer=None):
        options = self.options()
        if options is None:
            box = {"inputmode": "numeric", "maxlength": 12, "placeholder": self.example, **self.attrs}
            return forms.TextInput(attrs=box).render(name, value, attrs, renderer)
        chosen = "" if value is None else str(value)
        empty = [] if self.empty_label is None else [("", self.empty_label)]
        html = "".join(
            f'<option value="{escape(code)}"{" selected" if code == chosen else ""}>{escape(label)}</option>'
            for code, label in empty + options
        )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>{html}</select>')


def fit_area_widget(field: forms.ModelChoiceField, example: str = "340422105201") -> None:
    """Keep a select for a small scope; a province's 4,000 townships or 50,000 villages get a code text box instead
    (the field takes division codes either way), so the page stays small. Options show the area's name."""
    field.widget = AreaWidget(field.queryset, field.to_field_name or "pk", field.empty_label, example)


def in_subtree(path: str):
    """A filter method: objects whose area at `path` lies under the chosen area (one indexed code range)."""

    @extend_schema_field(OpenApiTypes.STR)
    def method(queryset, name, area):
        return queryset.filter(**{f"{path}__range": area.subtree_bounds})

    return method


def readable_areas(request) -> QuerySet[Area]:
    """The areas (any level) the requesting user may see: the only ones a list's area filter offers or accepts
    (technology needs, transfers, demonstration sites). A province has ~56,000; offering them all made a 2.9 MB page
    of options that took from seconds to, for the demonstration sites, 50 s to query and render."""
    user = user_of(request)
    return Area.objects.for_user(user).order_by("code") if user is not None else Area.objects.none()


class ScopedAreaFilterMixin:
    """The `area` filter: a select of the user's areas in a county, a division-code box at city or province scale
    (`regions.filters.AreaWidget`, which queries at most 501 of them, and only when the form is rendered)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_area_widget(self.form.fields["area"], "340422000000")


class AreaWidgetsMixin:
    """Township and village choices stay a select in a county and become a code box at province scale."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "village" in self.filters:
            fit_area_widget(self.form.fields["village"])
        if "township" in self.filters:
            fit_area_widget(self.form.fields["township"], "340422105000")


class AreaScopedFilterSet(AreaWidgetsMixin, django_filters.FilterSet):
    """Township and village filters limited to the requesting user's jurisdiction, by division code.

    Subclasses set `area_path` (the lookup to the division code of the object's village).
    """

    area_path = "village__code"

    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        to_field_name="code",
        queryset=lambda request: scoped_areas(user_of(request), AreaLevel.TOWNSHIP),
        method="filter_township",
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"),
        to_field_name="code",
        queryset=lambda request: scoped_areas(user_of(request), AreaLevel.VILLAGE),
        method="filter_village",
    )

    @extend_schema_field(OpenApiTypes.STR)
    def filter_township(self, queryset, name, area):
        return in_subtree(self.area_path)(queryset, name, area)

    def filter_village(self, queryset, name, area):
        return queryset.filter(**{self.area_path: area.code})


def name_matches(prefix: str, text: str) -> Q:
    """Name contains the text, or its pinyin / pinyin initials start with it: 姚祠, yaoci and ycc all find 姚祠村."""
    lowered = text.strip().lower()
    return (
        Q(**{f"{prefix}name__icontains": text.strip()})
        | Q(**{f"{prefix}pinyin__startswith": lowered})
        | Q(**{f"{prefix}initials__startswith": lowered})
    )


class AreaFilter(AreaWidgetsMixin, django_filters.FilterSet):
    """Areas (mostly villages): by level, township, poverty state and name or pinyin."""

    q = django_filters.CharFilter(label=_("Name or pinyin"), method="filter_q")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=AreaLevel.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"),
        to_field_name="code",
        queryset=lambda request: scoped_areas(user_of(request), AreaLevel.TOWNSHIP),
        method=in_subtree("code"),
    )
    parent = django_filters.NumberFilter(field_name="parent_id", widget=forms.HiddenInput)
    is_poor = django_filters.BooleanFilter(label=_("Poor village"))
    lifted = django_filters.BooleanFilter(label=_("Lifted out of poverty"), method="filter_lifted")

    class Meta:
        model = Area
        fields = ["q", "level", "township", "parent", "is_poor", "lifted"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name_matches("", value))

    def filter_lifted(self, queryset, name, value):
        """Poor villages already lifted (with a year) or still poor (without one)."""
        return queryset.filter(is_poor=True, lifted_year__isnull=not value)


class HouseholdFilter(AreaScopedFilterSet):
    q = django_filters.CharFilter(label=_("Name or number"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HouseholdStatus.choices)
    main_cause = django_filters.ChoiceFilter(label=_("Main cause of poverty"), choices=PovertyCause.choices)

    class Meta:
        model = Household
        fields = ["q", "township", "village", "status", "main_cause"]

    def filter_q(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(Q(head_name__icontains=text) | Q(number__startswith=text)) if text else queryset


class HouseholdIncomeFilter(AreaScopedFilterSet):
    area_path = "household__village__code"
    year = django_filters.NumberFilter(label=_("Year"))
    household = django_filters.NumberFilter(field_name="household_id", widget=forms.HiddenInput)

    class Meta:
        model = HouseholdIncome
        fields = ["township", "village", "year", "household"]


class CadrePairingFilter(AreaScopedFilterSet):
    q = django_filters.CharFilter(label=_("Cadre"), field_name="cadre_name", lookup_expr="icontains")
    active = django_filters.BooleanFilter(label=_("Still paired"), field_name="ended_on", lookup_expr="isnull")
    household = django_filters.NumberFilter(field_name="household_id", widget=forms.HiddenInput)

    class Meta:
        model = CadrePairing
        fields = ["q", "township", "village", "active", "household"]


class VisitFilter(AreaScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="visited_on", lookup_expr="year")
    since = django_filters.DateFilter(
        label=_("From"), field_name="visited_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="visited_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    relief = django_filters.BooleanFilter(label=_("With relief payment"), method="filter_relief")

    class Meta:
        model = Visit
        fields = ["township", "village", "year", "since", "until", "relief"]

    def filter_relief(self, queryset, name, value):
        return queryset.filter(relief_amount__gt=0) if value else queryset.filter(relief_amount=0)
