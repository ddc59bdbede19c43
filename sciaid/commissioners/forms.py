"""Forms of the commissioners pages: formats and choices from the user's jurisdiction; rules stay in `services`."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.forms import PhotosField
from sciaid.commissioners.choices import ServiceKind
from sciaid.commissioners.models import Team
from sciaid.commissioners.services import MAX_LOG_PHOTOS
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.forms import village_field
from sciaid.regions.models import Area, Household

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, initial=lambda: date.today().year, **kwargs
    )


def managed_counties(user):
    return Area.objects.for_user(user, CHANGE).filter(level=AreaLevel.COUNTY).order_by("code")


def county_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("County"), queryset=Area.objects.none(), to_field_name="code")


def active_commissioners(user):
    return Expert.objects.for_user(user).filter(is_commissioner=True, is_active=True).order_by("name")


class BatchForm(ActingUserForm):
    county = county_field()
    year = year_field()
    title = forms.CharField(label=_("Title"), max_length=200)
    closes_on = forms.DateField(label=_("Applications close on"), required=False, widget=DATE_INPUT)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = managed_counties(self.user)


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


class TeamForm(ActingUserForm):
    county = county_field()
    year = year_field()
    name = forms.CharField(label=_("Name"), max_length=128)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Expert.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=Expert.objects.none(),
        help_text=_("3 to 5 commissioners with the leader."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"),
        queryset=Area.objects.none(),
        to_field_name="code",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = managed_counties(self.user)
        self.fields["leader"].queryset = self.fields["members"].queryset = active_commissioners(self.user)
        villages = Area.objects.for_user(self.user, CHANGE).filter(level=AreaLevel.VILLAGE, is_poor=True)
        self.fields["villages"].queryset = villages.order_by("code")
        team = self.instance
        if team is not None:
            self.initial.update(
                county=team.county.code,
                year=team.year,
                name=team.name,
                leader=team.leader_id,
                members=list(team.members.values_list("expert_id", flat=True)),
                villages=list(team.villages.values_list("code", flat=True)),
            )


class AgreementTermsForm(ActingUserForm):
    """The term, duties and targets: what can change while the agreement is a draft or signed."""

    starts_on = forms.DateField(label=_("Term starts"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Term ends"), widget=DATE_INPUT)
    duties = forms.CharField(label=_("Duties"), required=False, widget=TEXTAREA)
    target_trainings = forms.IntegerField(label=_("Target: trainings"), min_value=0, initial=0)
    target_trainees = forms.IntegerField(label=_("Target: trainees"), min_value=0, initial=0)
    target_varieties = forms.IntegerField(label=_("Target: new varieties"), min_value=0, initial=0)
    target_techniques = forms.IntegerField(label=_("Target: new techniques"), min_value=0, initial=0)
    target_households = forms.IntegerField(label=_("Target: households helped"), min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in self.fields:
                self.initial.setdefault(name, getattr(self.instance, name, None))

    def service_fields(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key not in ("pairing", "team", "village")}


class AgreementForm(AgreementTermsForm):
    """A new agreement: for a pairing, or for a team and one of its villages."""

    pairing = forms.ModelChoiceField(label=_("Pairing"), queryset=Pairing.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    village = forms.ModelChoiceField(
        label=_("Village (for a team)"), queryset=Area.objects.none(), to_field_name="code", required=False
    )
    field_order = ["pairing", "team", "village"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = date.today().year
        pairings = Pairing.objects.for_user(self.user, CHANGE).filter(year__gte=year - 1)
        self.fields["pairing"].queryset = pairings.select_related("expert", "village").order_by("-year", "village")
        teams = Team.objects.for_user(self.user, CHANGE).filter(year__gte=year - 1)
        self.fields["team"].queryset = teams
        self.fields["village"].queryset = Area.objects.filter(commissioner_teams__in=teams).distinct()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {**super().service_fields(), **{key: data[key] for key in ("pairing", "team", "village")}}


class SignForm(ActingUserForm):
    signed_on = forms.DateField(label=_("Signed on"), initial=date.today, widget=DATE_INPUT)
    scan = forms.FileField(
        label=_("Signed scan"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/jpeg,image/png"}),
    )


class ReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), widget=SHORT_TEXT)


class OptionalReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), widget=SHORT_TEXT, required=False)


class NoteForm(ActingUserForm):
    note = forms.CharField(label=_("What needs correcting"), widget=SHORT_TEXT)


class EmptyForm(ActingUserForm):
    """An action that needs nothing but the button."""


def serving_villages(expert: Expert | None, year: int):
    """The villages a commissioner may log in this year: paired ones and those of their teams."""
    if expert is None:
        return Area.objects.none()
    return Area.objects.filter(
        Q(expert_pairings__expert=expert, expert_pairings__year=year)
        | Q(commissioner_teams__members__expert=expert, commissioner_teams__year=year)
    ).distinct()


class ServiceLogForm(ActingUserForm):
    """A service as a commissioner enters it in the field, on a phone."""

    kind = forms.ChoiceField(label=_("Type of service"), choices=ServiceKind.choices)
    served_on = forms.DateField(label=_("Date"), initial=date.today, widget=DATE_INPUT)
    summary = forms.CharField(label=_("What was done"), widget=TEXTAREA)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    households = forms.ModelMultipleChoiceField(
        label=_("Households helped"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("From the village's registry; each household counts once however often it is helped."),
    )
    other_households = forms.IntegerField(
        label=_("Other households helped"),
        min_value=0,
        initial=0,
        help_text=_("Households helped that are not in the registry."),
    )
    varieties = forms.CharField(
        label=_("New varieties introduced"), required=False, widget=SHORT_TEXT, help_text=_("One per line.")
    )
    techniques = forms.CharField(
        label=_("New techniques introduced"), required=False, widget=SHORT_TEXT, help_text=_("One per line.")
    )
    team = forms.ModelChoiceField(
        label=_("As a team"), queryset=Team.objects.none(), required=False, help_text=_("Leave empty for your own.")
    )
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    photos = PhotosField(help_text=_("Up to %(n)d photos of the service.") % {"n": MAX_LOG_PHOTOS})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        expert = Expert.objects.filter(user_id=self.user.pk).first()
        year = date.today().year
        villages = serving_villages(expert, year) | serving_villages(expert, year - 1)
        self.fields["village"] = village_field(villages.distinct().order_by("code"))
        self.fields["households"].queryset = Household.objects.filter(village__in=villages).order_by("number")
        self.fields["team"].queryset = Team.objects.filter(members__expert=expert, year__gte=year - 1)
        self.order_fields(["village", "kind", "served_on"])
        log = self.instance
        if log is not None:
            for name in self.fields:
                if name not in ("photos", "households", "village"):
                    self.initial[name] = getattr(log, name)
            self.initial["village"] = log.village.code
            self.initial["households"] = list(log.households.values_list("pk", flat=True))

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
