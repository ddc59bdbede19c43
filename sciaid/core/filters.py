"""FilterSets for the core's own lists (the audit log, the notification inbox), and filter behaviour every app's
list pages share."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import ChangeAction, Notification, ObjectChange


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
