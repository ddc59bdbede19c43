"""The form of a service team: 3–5 active commissioners and the poor villages they serve."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.commissioners.forms import CountyYearForm, active_commissioners
from sciaid.core.scoping import CHANGE
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class TeamForm(CountyYearForm):
    name = forms.CharField(label=_("Name"), max_length=128)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Expert.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("team", "Members"),
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
