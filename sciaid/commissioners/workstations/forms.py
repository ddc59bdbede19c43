"""Forms of workstations: the application (short enough for a phone), reviewers and reviews, activity reports,
yearly appraisals and funding."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.accounts.models import User
from sciaid.commissioners.allocation.forms import PostAllocationForm
from sciaid.commissioners.appraisals.choices import Rating
from sciaid.commissioners.common import REVIEWERS
from sciaid.commissioners.forms import DATE_INPUT, MONEY, TEXTAREA, year_field
from sciaid.commissioners.workstations.choices import ActivityKind, OrganisationKind
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import VIEW, is_unrestricted, user_grants
from sciaid.demonstration.models import DemoSite
from sciaid.demonstration.services import sites_of_county
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class WorkstationApplyForm(ActingUserForm):
    """An enterprise's or cooperative's application, short enough to fill in on a phone."""

    name = forms.CharField(label=_("Workstation name"), max_length=200)
    organisation = forms.CharField(label=_("Enterprise or cooperative"), max_length=200)
    organisation_kind = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationKind.choices)
    industry = forms.CharField(label=_("Industry"), max_length=100)
    village = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("Host village"))
    commissioners = forms.ModelMultipleChoiceField(
        queryset=Expert.objects.none(),
        label=_("Stationed commissioners"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    demo_site = forms.ModelChoiceField(
        queryset=DemoSite.objects.none(),
        label=_("Demonstration site"),
        required=False,
        help_text=_("The demonstration site or base of the county the station is located at, if any."),
    )
    facilities = forms.CharField(label=_("Facilities"), required=False, widget=TEXTAREA)
    plan = forms.CharField(label=_("Work plan"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Area.objects.for_user(self.user, VIEW).filter(level=AreaLevel.VILLAGE)
        self.fields["commissioners"].queryset = commissioners_near(self.user)
        self.fields["demo_site"].queryset = DemoSite.objects.for_user(self.user, VIEW).order_by("name_pinyin", "pk")


class LocateForm(ActingUserForm):
    """The county records the demonstration site a station is located at."""

    demo_site = forms.ModelChoiceField(
        queryset=DemoSite.objects.none(), label=_("Demonstration site"), required=False, empty_label=_("None")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demo_site"].queryset = sites_of_county(self.user, self.instance.village)
        self.initial.setdefault("demo_site", self.instance.demo_site_id)


def commissioners_near(user):
    """The commissioners paired with villages of the user's areas (not the province's 20,000), by name."""
    near = Q(pk__in=[])
    for grant in user_grants(user):
        near |= Q(pairings__village__code__range=grant.area.subtree_bounds)
    experts = Expert.objects.filter(is_commissioner=True, is_active=True)
    if not is_unrestricted(user):
        experts = experts.filter(pk__in=Expert.objects.filter(near).values("pk"))
    return experts.order_by("name", "pk")


class ReviewersForm(ActingUserForm):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("Reviewers"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers_for(self.instance)


def reviewers_for(workstation) -> models.QuerySet:
    """Users who may review the station: reviewer or expert grants in its county or above it (not the province's
    every expert)."""
    reach = Q()
    if workstation is not None:
        village = workstation.village
        reach = Q(grants__area__code__in=village.ancestor_codes()) | Q(grants__area__code__startswith=village.code[:6])
    users = User.objects.filter(Q(grants__role__in=REVIEWERS) & reach, is_active=True)
    return users.distinct().order_by("username")


class ReviewScoreForm(ActingUserForm):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    opinion = forms.CharField(label=_("Opinion"), widget=TEXTAREA)


class ActivityForm(ActingUserForm):
    kind = forms.ChoiceField(label=_("Type of activity"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("Title"), max_length=200)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    households_driven = forms.IntegerField(label=_("Households driven"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


class StationAppraisalForm(ActingUserForm):
    year = year_field(initial=date.today)
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


class FundForm(PostAllocationForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, **MONEY)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
