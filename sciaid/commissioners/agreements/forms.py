"""Forms of assistance agreements: drafting one for a pairing or a team, its terms and targets, and signing."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.statistics import primary_area
from sciaid.commissioners.forms import DATE_INPUT, TEXTAREA
from sciaid.commissioners.statistics.services import latest_year
from sciaid.commissioners.teams.models import Team
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.experts.models import Pairing
from sciaid.regions.models import Area


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
        # The latest year with pairings and the one before it: the agreements still to be made.
        year = latest_year(primary_area(self.user))
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
