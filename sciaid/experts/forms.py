"""Forms of the experts pages: formats and choices from the user's jurisdiction; rules stay in `services`."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sciaid.core.forms import ActingUserForm, PhoneField
from sciaid.core.scoping import CHANGE
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import AREA_SELECT_LIMIT
from sciaid.regions.forms import village_field
from sciaid.regions.models import Area


def specialty_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The tree as grouped choices: each top-level specialty a group with itself and everything under it."""
    nodes = list(Specialty.objects.order_by("position", "code"))
    children: dict[int | None, list[Specialty]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def below(node: Specialty, depth: int) -> list[tuple[str, str]]:
        rows = []
        for child in children.get(node.pk, []):
            rows.append((str(child.pk), f"{'· ' * depth}{child.name}"))
            rows += below(child, depth + 1)
        return rows

    return [(root.name, [(str(root.pk), root.name), *below(root, 1)]) for root in children.get(None, [])]


class ProfileForm(ActingUserForm):
    """What an expert keeps up to date themselves."""

    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you know and have done, in words: the platform matches demands against it."),
    )
    availability = forms.CharField(
        label=_("Availability"), max_length=128, required=False, help_text=_("e.g. weekdays 8:00–17:00")
    )
    phone = PhoneField(label=_("Phone"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in self.fields:
                if hasattr(self.instance, name) and name not in ("specialties", "service_areas", "home_area"):
                    self.initial.setdefault(name, getattr(self.instance, name))

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class ExpertForm(ProfileForm):
    """A manager's form for the whole profile; on creation it also names (or creates) the expert's login."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("An existing account, or a new one that gets the expert role."),
    )
    name = forms.CharField(label=_("Name"), max_length=64)
    organisation = forms.CharField(label=_("Organisation"), max_length=128)
    title = forms.CharField(label=_("Professional title"), max_length=64, required=False)
    home_area = forms.ModelChoiceField(
        label=_("Selected by (area)"), queryset=Area.objects.none(), to_field_name="code"
    )
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"), widget=forms.CheckboxSelectMultiple, choices=specialty_choices
    )
    service_areas = forms.ModelMultipleChoiceField(
        label=_("Service areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    field_order = [
        "username",
        "name",
        "organisation",
        "title",
        "home_area",
        "specialties",
        "expertise",
        "service_areas",
        "availability",
        "phone",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managed = Area.objects.for_user(self.user, CHANGE).order_by("code")
        self.fields["home_area"].queryset = managed.filter(level__lte=AreaLevel.COUNTY)
        # Townships are the useful grain inside a county; at province scale there are thousands, so counties.
        service = managed.filter(level__lte=AreaLevel.TOWNSHIP)
        if service.count() > AREA_SELECT_LIMIT:
            service = managed.filter(level__lte=AreaLevel.COUNTY)
        self.fields["service_areas"].queryset = service
        if self.instance is not None:
            del self.fields["username"]
            self.initial["home_area"] = self.instance.home_area.code
            self.initial["specialties"] = [str(pk) for pk in self.instance.specialties.values_list("pk", flat=True)]
            self.initial["service_areas"] = list(self.instance.service_areas.values_list("code", flat=True))

    def clean_specialties(self):
        chosen = Specialty.objects.filter(pk__in=self.cleaned_data["specialties"])
        if not chosen:
            raise ValidationError(_("Choose at least one specialty."))
        return list(chosen)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class PairingForm(ActingUserForm):
    """Pair a commissioner the user may see with a village of the user's county."""

    expert = forms.ModelChoiceField(label=_("Commissioner"), queryset=Expert.objects.none())
    village = forms.CharField()
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=date.today().year)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.for_user(self.user).filter(is_commissioner=True, is_active=True)
        villages = Area.objects.for_user(self.user, CHANGE).filter(level=AreaLevel.VILLAGE).order_by("code")
        self.fields["village"] = village_field(villages)
        self.order_fields(["expert", "village", "year"])


class ConfirmForm(ActingUserForm):
    """A button's POST that needs no data (deactivate, unpair)."""


class SpecialtyForm(forms.ModelForm):
    class Meta:
        model = Specialty
        fields = ["code", "name_zh", "name_en", "parent", "position"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Specialty.objects.order_by("parent_id", "position", "code")

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
