"""Forms of the regions pages: they check what a single form can (formats, check digits, sizes) and explain every
error; the business rules (jurisdiction, uniqueness across households, state changes) stay in `services`.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sciaid.core.forms import ActingUserForm, IdNumberField, PhoneField
from sciaid.core.scoping import CHANGE, Scope, is_unrestricted
from sciaid.regions.choices import AreaLevel, PovertyCause
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area, Household
from sciaid.regions.services import next_income_year

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def household_villages(user):
    """Villages where `user` may register or correct households (info officers included, unlike area editing)."""
    villages = Area.objects.filter(level=AreaLevel.VILLAGE).order_by("code")
    if is_unrestricted(user):
        return villages
    condition = Scope(code_path="code", change=Household.scope.change).filter_for(user, CHANGE)
    return villages.filter(condition) if condition is not None else villages.none()


def village_field(queryset, **kwargs) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=queryset, to_field_name="code", label=_("Village"), **kwargs)
    fit_area_widget(field)
    return field


class HouseholdForm(forms.ModelForm):
    """Register or correct a household. The ID number is write-only: left blank on an edit, the stored one stays."""

    id_number = IdNumberField(
        label=_("Citizen ID number"), required=False, help_text=_("18 characters; the last one may be X.")
    )
    phone = PhoneField(label=_("Phone"), required=False)
    other_causes = forms.MultipleChoiceField(
        label=_("Other causes of poverty"),
        choices=PovertyCause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Household
        fields = ["number", "village", "head_name", "id_number", "phone", "members", "main_cause", "other_causes"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["village"] = village_field(household_villages(user))
        if self.instance.pk:
            self.initial["village"] = self.instance.village.code
            if self.instance.id_number_masked:
                self.fields["id_number"].help_text = _("Stored: %(masked)s. Leave blank to keep it.") % {
                    "masked": self.instance.id_number_masked
                }

    def service_fields(self) -> dict:
        """The cleaned values as `services.save_household` takes them (a blank ID keeps the stored one)."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "id_number"}
        fields["id_number"] = self.cleaned_data["id_number"] or None
        return fields


class TransitionForm(ActingUserForm):
    """One of the status changes the user may make to this household now."""

    action = forms.ChoiceField(label=_("Action"))
    year = forms.IntegerField(label=_("Year lifted out of poverty"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        transitions = type(self.instance).workflow.available(self.instance, self.user)
        self.fields["action"].choices = [(t.name, t.label) for t in transitions]


def no_future_year(value: int) -> None:
    if value > date.today().year:
        raise ValidationError(_("The year cannot be in the future."))


class IncomeForm(ActingUserForm):
    """A household's income of one year; it opens on the year after the latest one recorded (`instance`)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, validators=[no_future_year])
    income_per_capita = forms.DecimalField(
        label=_("Income per capita (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", next_income_year(self.instance))


class PairingForm(ActingUserForm):
    cadre_name = forms.CharField(label=_("Cadre"), max_length=64)
    cadre_organisation = forms.CharField(label=_("Cadre's organisation"), max_length=128, required=False)
    cadre_phone = PhoneField(label=_("Cadre's phone"), required=False)
    started_on = forms.DateField(label=_("Paired since"), widget=DATE_INPUT, initial=date.today)


class VisitForm(ActingUserForm):
    visited_on = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=date.today)
    relief_amount = forms.DecimalField(
        label=_("Relief payment (yuan)"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VisitStatsForm(forms.Form):
    """Which area and year the visit statistics are for; areas from the user's jurisdiction only."""

    area = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("Area"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = Area.objects.for_user(user).filter(level__lte=AreaLevel.TOWNSHIP).order_by("code")
        fit_area_widget(field)
