"""Forms of the demonstration pages: choices from the user's jurisdiction; the rules stay in `services`."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.achievements.forms import areas_of
from sciaid.achievements.models import Achievement
from sciaid.core.forms import ActingUserForm
from sciaid.core.photos import PhotosField
from sciaid.core.publishing import PublicationStatus
from sciaid.core.scoping import VIEW, user_grants
from sciaid.demonstration.choices import OperatorKind, SiteKind
from sciaid.demonstration.models import FIRST_YEAR, SitePhoto
from sciaid.demonstration.services import FIGURE_FIELDS
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.models import Area, Household

SITE_FIELDS = (
    "name",
    "kind",
    "operator_kind",
    "operator_name",
    "address",
    "latitude",
    "longitude",
    "area_mu",
    "established_year",
    "description",
    "households_driven",
    "poor_households_driven",
)


def catalogue_for(user):
    """Published achievements offered to the user's areas: their own catalogues and those of the areas above."""
    clause = Q()
    for grant in user_grants(user):
        clause |= Q(area__code__range=grant.area.subtree_bounds) | Q(area__code__in=grant.area.ancestor_codes())
    published = Achievement.objects.filter(status=PublicationStatus.PUBLISHED)
    return (published.filter(clause) if clause else published).order_by("title_pinyin", "id")


class HouseholdNumbersField(forms.CharField):
    """Registered households given by their numbers (spaces or commas between), among those the user may see."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value) -> list[Household]:
        numbers = list(dict.fromkeys(n for n in re.split(r"[\s,，;；]+", super().clean(value) or "") if n))
        households = Household.objects.for_user(self.user, VIEW).filter(number__in=numbers).select_related("village")
        found = {h.number: h for h in households}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("Not registered in your jurisdiction: %(numbers)s") % {"numbers": ", ".join(unknown[:10])}
            )
        return [found[n] for n in numbers]


class SiteForm(ActingUserForm):
    """Enter or correct a site of a village the user runs."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices, initial=SiteKind.BASE)
    operator_kind = forms.ChoiceField(label=_("Operator kind"), choices=OperatorKind.choices)
    operator_name = forms.CharField(
        label=_("Operator"), max_length=200, help_text=_("A household operator's name is never shown to the public.")
    )
    village = forms.ModelChoiceField(label=_("Village"), queryset=Area.objects.none(), to_field_name="code")
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, max_digits=8, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=8,
        decimal_places=5,
        help_text=_("Optional; both or neither, e.g. 32.31220 and 116.56740."),
    )
    industry = forms.ModelChoiceField(label=_("Industry"), queryset=Specialty.objects.all())
    area_mu = forms.DecimalField(label=_("Area (mu)"), min_value=0, max_digits=10, decimal_places=2)
    established_year = forms.IntegerField(label=_("Established in"), required=False, min_value=1949, max_value=2100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    achievements = forms.ModelMultipleChoiceField(
        label=_("Varieties and techniques demonstrated"),
        queryset=Achievement.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Published achievements of the catalogue."),
    )
    commissioners = forms.ModelMultipleChoiceField(
        label=_("Commissioners"),
        queryset=Expert.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("They enter the site's yearly figures."),
    )
    households_driven = forms.IntegerField(label=_("Households driven"), min_value=0, initial=0)
    poor_households_driven = forms.IntegerField(label=_("Of them poor households"), min_value=0, initial=0)
    poor_households = HouseholdNumbersField(
        label=_("Registered poor households"),
        help_text=_("Household numbers from the registry of the site's county, separated by spaces or commas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = areas_of(self.user, AreaLevel.VILLAGE, AreaLevel.VILLAGE)
        fit_area_widget(self.fields["village"])
        self.fields["achievements"].queryset = catalogue_for(self.user)
        self.fields["commissioners"].queryset = Expert.objects.for_user(self.user, VIEW).filter(is_active=True)
        self.fields["poor_households"].user = self.user
        site = self.instance
        if site is not None:
            self.initial.update(
                {name: getattr(site, name) for name in SITE_FIELDS},
                village=site.village.code,
                industry=site.industry_id,
                achievements=list(site.achievements.all()),
                commissioners=list(site.commissioners.all()),
                poor_households=" ".join(site.poor_households.values_list("number", flat=True)),
            )

    def clean(self):
        data = super().clean()
        driven, poor = data.get("households_driven"), data.get("poor_households_driven")
        if driven is not None and poor is not None and poor > driven:
            self.add_error("poor_households_driven", _("Poor households are counted among the households driven."))
        return data

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class FiguresForm(ActingUserForm):
    """One year's figures of a site (the site is the page's); a year already entered is corrected."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)
    output = forms.DecimalField(label=_("Output (tonnes)"), min_value=0, max_digits=12, decimal_places=2)
    yield_per_mu = forms.DecimalField(label=_("Yield per mu (kg)"), min_value=0, max_digits=10, decimal_places=2)
    income = forms.DecimalField(label=_("Income (yuan)"), min_value=0, max_digits=14, decimal_places=2)
    households_driven = forms.IntegerField(label=_("Households driven"), min_value=0)
    poor_income_increase = forms.DecimalField(
        label=_("Income increase per poor household (yuan)"), min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["year"].initial = timezone.localdate().year
        row = self.instance
        if row is not None:
            self.initial.update({name: getattr(row, name) for name in ("year", *FIGURE_FIELDS)})

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class PhotoForm(ActingUserForm):
    """Photos are checked and re-encoded by the service; the form only collects the files."""

    photos = PhotosField(max_count=SitePhoto.gallery.max_photos, required=True)
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = SitePhoto.gallery.max_photos
        self.fields["photos"].help_text = _("JPEG, PNG or WebP; at most %(n)d per site.") % {"n": limit}
