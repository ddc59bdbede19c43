"""Form pieces the commissioners' sub-domains share (their forms are in `<sub-domain>/forms.py`): widgets, the year
and county fields, and the forms of buttons that need only a reason, a note or nothing. Forms only validate input;
the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import primary_area
from sciaid.commissioners.statistics.services import latest_year
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: An ISO value whatever the language, or `<input type=date>` shows nothing.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})
TEXTAREA = forms.Textarea(attrs={"rows": 3})
MONEY = {"max_digits": 14, "decimal_places": 2}


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, **kwargs)


def managed_counties(user):
    return Area.objects.for_user(user, CHANGE).filter(level=AreaLevel.COUNTY).order_by("code")


def active_commissioners(user):
    return Expert.objects.for_user(user).filter(is_commissioner=True, is_active=True).order_by("name")


class CountyYearForm(ActingUserForm):
    """A county the acting user manages, and a year (by default the latest with commissioner work in their area)."""

    county = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("County"))
    year = year_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = managed_counties(self.user)
        self.fields["county"].empty_label = None
        self.fields["year"].initial = latest_year(primary_area(self.user))


class ReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class NoteForm(ActingUserForm):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


class EmptyForm(ActingUserForm):
    """An action that needs nothing but the button."""
