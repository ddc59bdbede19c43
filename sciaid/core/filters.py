"""FilterSets for the core's own lists (the audit log, the notification inbox), and filter behaviour every app's
list pages and API lists share: numbers checked before they reach the database (`checked`, applied by
`ScopedListView` and by the API's `FilterBackend`), a query that does not validate refused rather than ignored."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Max
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field

from sciaid.core.models import ChangeAction, Notification, ObjectChange

#: What a year filter accepts: the years a date can hold (`?year=0` would make Django's year lookup raise).
YEARS = (1, 9999)
#: What any other whole-number filter accepts: a signed 64-bit integer, the widest column the databases compare
#: (SQLite raises OverflowError past it).
INTEGERS = (-(2**63), 2**63 - 1)
#: Lookups on a date whose value is a year.
YEAR_LOOKUPS = frozenset({"year", "iso_year"})


def _number_range(filterset: django_filters.FilterSet, name: str, number: django_filters.NumberFilter):
    """The (min, max) a whole-number filter accepts, or None for a filter on a decimal or float column."""
    if name == "year" or number.lookup_expr in YEAR_LOOKUPS:
        return YEARS
    model = filterset._meta.model
    try:
        field = get_model_field(model, number.field_name) if model is not None else None
    except FieldDoesNotExist:
        field = None
    if isinstance(field, models.DecimalField | models.FloatField):
        return None
    return INTEGERS


def checked(filterset: django_filters.FilterSet) -> django_filters.FilterSet:
    """Make every number filter of `filterset` take a whole number in the range its column holds (a year: 1–9999),
    so a `?year=0`, `?year=-1` or a 20-digit id is a form error (a 400 from the API) instead of a server error.

    The form's fields are replaced, not the filters' (a filter caches the field it made, and its copies share it).
    """
    form = filterset.form
    for name, number in filterset.filters.items():
        # Lists of numbers (`?id__in=1,2`) keep their own field.
        if not isinstance(number, django_filters.NumberFilter) or isinstance(number, BaseCSVFilter):
            continue
        bounds = _number_range(filterset, name, number)
        if bounds is None or name not in form.fields:
            continue
        shown = form.fields[name]
        form.fields[name] = forms.IntegerField(
            label=shown.label,
            required=False,
            widget=shown.widget,
            help_text=shown.help_text,
            min_value=bounds[0],
            max_value=bounds[1],
        )
    return filterset


def refused(filterset: django_filters.FilterSet) -> bool:
    """Whether a query was given and does not validate (no query at all is the whole list)."""
    return filterset.is_bound and not filterset.is_valid()


def refused_filters(filterset: django_filters.FilterSet) -> str:
    """The errors of a query that does not validate, one line a filter, for a refused export."""
    lines = [gettext("The filters are not valid; nothing was exported.")]
    for name, errors in filterset.errors.items():
        field = filterset.form.fields.get(name)
        label = field.label if field is not None and field.label else name
        lines.extend(f"{label}: {error}" for error in errors)
    return "\n".join(lines)


class FilterBackend(DjangoFilterBackend):
    """The API's filter backend: the same checked numbers as the pages; an invalid query is a structured 400."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        return checked(filterset) if filterset is not None else None


class OpensOnLatestYear:
    """A list page's filter that opens on the latest year with data the user may see, not on every year summed nor
    on the current one (the demo's data are 2020, years before today); `?year=` (emptied) shows every year. Pages
    only: an API client asks for the year it wants."""

    #: The lookup path of the year on the filtered model.
    year_path = "year"

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is not None and (data is None or "year" not in data):
            latest = queryset.aggregate(latest=Max(self.year_path))["latest"]
            if latest is not None:
                data = data.copy() if data is not None else QueryDict(mutable=True)
                data["year"] = str(latest)
        super().__init__(data, queryset, **kwargs)


class ObjectChangeFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("Action"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(app_label__in=["regions", "accounts"]).order_by("model"),
        label=_("Object type"),
    )
    user_name = django_filters.CharFilter(lookup_expr="iexact", label=_("User"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__gte",
        label=_("From"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__lte",
        label=_("Until"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = ObjectChange
        fields = ["action", "content_type", "user_name", "object_id", "since", "until"]


class NotificationFilter(django_filters.FilterSet):
    """`?unread=true` for the messages not yet read, `?kind=` for one kind of message (the API and the inbox)."""

    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Unread"))
    kind = django_filters.CharFilter(label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
