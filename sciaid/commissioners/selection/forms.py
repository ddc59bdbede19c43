"""Forms of the selection pages: opening a batch, applying, nominating."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.forms import DATE_INPUT, TEXTAREA, CountyYearForm
from sciaid.core.forms import ActingUserForm
from sciaid.experts.models import Expert


class BatchForm(CountyYearForm):
    """A county's batch, for this year unless said otherwise (selection comes before the work)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    closes_on = forms.DateField(label=_("Applications close on"), required=False, widget=DATE_INPUT)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = date.today().year


class ApplyForm(ActingUserForm):
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        widget=TEXTAREA,
        help_text=_("What you would do for the villages: your specialty, past work, time you can give."),
    )


class NominateForm(ActingUserForm):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none())
    nominated_by = forms.CharField(
        label=_("Nominated by"), max_length=128, required=False, help_text=_("Leave empty for the expert's own.")
    )
    statement = forms.CharField(label=_("Statement"), required=False, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.for_user(self.user).filter(is_active=True).order_by("name")
