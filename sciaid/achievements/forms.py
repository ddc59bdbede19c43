"""Forms of the achievement pages: choices from the user's jurisdiction; the rules stay in `services`."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.achievements.choices import AchievementKind, Maturity, RequesterKind, TransferMode
from sciaid.achievements.models import Achievement, TechnologyNeed
from sciaid.core.forms import ISO_DATE_INPUT, ActingUserForm
from sciaid.core.publishing import PublicationStatus
from sciaid.core.scoping import CHANGE, VIEW
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household


def areas_of(user, lowest: int, highest: int = AreaLevel.PROVINCE):
    """The areas the user may change, between two levels, as choices by division code."""
    return Area.objects.for_user(user, CHANGE).filter(level__gte=highest, level__lte=lowest).order_by("code")


class AchievementForm(ActingUserForm):
    """Enter or correct a catalogue entry of a county, city or province the user runs."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AchievementKind.choices)
    owner = forms.CharField(label=_("Owner institution"), max_length=200)
    area = forms.ModelChoiceField(
        label=_("Catalogue of"),
        queryset=Area.objects.none(),
        to_field_name="code",
        help_text=_("Its managers review the entry before it is published."),
    )
    maturity = forms.ChoiceField(label=_("Maturity"), choices=Maturity.choices, initial=Maturity.MATURE)
    industries = forms.ModelMultipleChoiceField(
        label=_("Applicable industries"),
        queryset=Specialty.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Applicable regions"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Empty: anywhere."),
    )
    transfer_modes = forms.MultipleChoiceField(
        label=_("Transfer modes"), choices=TransferMode.choices, widget=forms.CheckboxSelectMultiple
    )
    price_guide = forms.CharField(
        label=_("Price guide"), max_length=100, required=False, help_text=_("For example 面议 or 5万元/年.")
    )
    contact = forms.CharField(
        label=_("Contact"), max_length=200, required=False, help_text=_("Shown to logged-in users only.")
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_of(self.user, AreaLevel.COUNTY)
        self.fields["regions"].queryset = Area.objects.filter(level__lte=AreaLevel.COUNTY).order_by("code")
        item = self.instance
        if item is not None:
            self.initial.update(
                {name: getattr(item, name) for name in ("title", "kind", "owner", "maturity", "price_guide")},
                contact=item.contact,
                description=item.description,
                transfer_modes=item.transfer_modes,
                area=item.area.code,
                industries=list(item.industries.all()),
                regions=list(item.regions.all()),
            )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActingUserForm):
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MatchForm(ActingUserForm):
    """The published achievement chosen for a need (one of the proposals, or any by its number)."""

    achievement = forms.ModelChoiceField(
        label=_("Achievement number"),
        queryset=Achievement.objects.filter(status=PublicationStatus.PUBLISHED),
        widget=forms.NumberInput,
    )


class ApplyForm(ActingUserForm):
    on = forms.DateField(label=_("Applied on"), required=False, widget=ISO_DATE_INPUT, help_text=_("Empty: today."))


class NeedForm(ActingUserForm):
    """Record or correct a technology need of a village, township or county the user serves."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), to_field_name="code")
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Specialty.objects.all())
    requester_kind = forms.ChoiceField(label=_("Requester kind"), choices=RequesterKind.choices)
    requester_name = forms.CharField(label=_("Requester"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas_of(self.user, AreaLevel.VILLAGE, AreaLevel.COUNTY)
        need = self.instance
        if need is not None:
            self.initial.update(
                {name: getattr(need, name) for name in ("title", "description", "requester_kind", "requester_name")},
                area=need.area.code,
                industry=need.industry_id,
            )

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class TransferForm(ActingUserForm):
    """Record or correct a transfer; the achievement is given by its catalogue number (the "record a transfer"
    button of an achievement's page fills it in), registered households by their household numbers."""

    achievement = forms.ModelChoiceField(
        label=_("Achievement number"), queryset=Achievement.objects.none(), widget=forms.NumberInput
    )
    need = forms.ModelChoiceField(label=_("Technology need"), queryset=TechnologyNeed.objects.none(), required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=200, help_text=_("An organisation or a village."))
    area = forms.ModelChoiceField(label=_("Applied in"), queryset=Area.objects.none(), to_field_name="code")
    mode = forms.ChoiceField(label=_("Transfer mode"), choices=TransferMode.choices)
    contract_value = forms.DecimalField(label=_("Contract value (yuan)"), min_value=0, max_digits=12, decimal_places=2)
    signed_on = forms.DateField(label=_("Date"), widget=ISO_DATE_INPUT)
    households_count = forms.IntegerField(label=_("Households benefiting"), min_value=0, initial=0)
    household_numbers = forms.CharField(
        label=_("Registered households"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Household numbers from the registry, separated by spaces or commas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].queryset = Achievement.objects.for_user(self.user, VIEW)
        self.fields["need"].queryset = TechnologyNeed.objects.for_user(self.user, VIEW).select_related("area")
        self.fields["area"].queryset = areas_of(self.user, AreaLevel.VILLAGE, AreaLevel.COUNTY)
        transfer = self.instance
        if transfer is not None:
            self.initial.update(
                {name: getattr(transfer, name) for name in ("recipient", "mode", "contract_value", "signed_on")},
                achievement=transfer.achievement_id,
                need=transfer.need_id,
                area=transfer.area.code,
                households_count=transfer.households_count,
                household_numbers=" ".join(transfer.households.values_list("number", flat=True)),
            )

    def clean_household_numbers(self) -> list[Household]:
        numbers = [n for n in re.split(r"[\s,，;；]+", self.cleaned_data["household_numbers"]) if n]
        found = {h.number: h for h in Household.objects.for_user(self.user, VIEW).filter(number__in=numbers)}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("Not registered in your jurisdiction: %(numbers)s") % {"numbers": ", ".join(unknown[:10])}
            )
        return [found[n] for n in dict.fromkeys(numbers)]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["households"] = data.pop("household_numbers")
        return data
