"""Forms of the commissioners' year: the allocation rule, workstations (apply, review, decide, report, appraise,
fund) and the appraisal rubric and sheets. Each only validates input; the services decide."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.accounts.models import User
from sciaid.commissioners.models import REVIEWERS, AppraisalRubric
from sciaid.commissioners.yearly_choices import ActivityKind, OrganisationKind, Rating
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE, VIEW, is_unrestricted, user_grants
from sciaid.experts.models import Expert
from sciaid.funds.models import Budget
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

TEXTAREA = forms.Textarea(attrs={"rows": 3})
MONEY = {"max_digits": 14, "decimal_places": 2}


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, initial=date.today().year, **kwargs)


class CountyYearForm(ActingUserForm):
    """A county the acting user manages, and a year."""

    county = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("County"))
    year = year_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Area.objects.for_user(self.user, CHANGE).filter(level=AreaLevel.COUNTY)
        self.fields["county"].empty_label = None


class AllocationRuleForm(CountyYearForm):
    base_amount = forms.DecimalField(label=_("Amount for one village (yuan)"), min_value=0, **MONEY)
    increment = forms.DecimalField(label=_("Increment per further village (yuan)"), min_value=0, **MONEY)


class BudgetField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.year} · {obj.area} · {obj.purpose} · ¥{obj.amount:,.2f}"


class PostAllocationForm(ActingUserForm):
    """The budget a rule (or a workstation's funding) is paid from: one the user keeps the books of."""

    budget = BudgetField(queryset=Budget.objects.none(), label=_("Budget"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = Budget.objects.for_user(self.user, CHANGE).select_related("area")


class FundForm(PostAllocationForm):
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, **MONEY)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)


# --- workstations -------------------------------------------------------------------------------------------------


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
    facilities = forms.CharField(label=_("Facilities"), required=False, widget=TEXTAREA)
    plan = forms.CharField(label=_("Work plan"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Area.objects.for_user(self.user, VIEW).filter(level=AreaLevel.VILLAGE)
        self.fields["commissioners"].queryset = commissioners_near(self.user)


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


class NoteForm(ActingUserForm):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


class ReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class ActivityForm(ActingUserForm):
    kind = forms.ChoiceField(label=_("Type of activity"), choices=ActivityKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    households_driven = forms.IntegerField(label=_("Households driven"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


class StationAppraisalForm(ActingUserForm):
    year = year_field()
    score = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


# --- appraisal ------------------------------------------------------------------------------------------------------


class RubricForm(CountyYearForm):
    """The rubric's weights (summing to 100), thresholds and optional quota for excellent."""

    weight_volume = forms.IntegerField(label=_("Weight: service volume"), min_value=0, max_value=100, initial=40)
    weight_effect = forms.IntegerField(label=_("Weight: effect"), min_value=0, max_value=100, initial=20)
    weight_opinion = forms.IntegerField(label=_("Weight: village opinion"), min_value=0, max_value=100, initial=20)
    weight_manual = forms.IntegerField(label=_("Weight: manual score"), min_value=0, max_value=100, initial=20)
    volume_target = forms.IntegerField(label=_("Confirmed services for full marks"), min_value=1, initial=12)
    excellent_from = forms.DecimalField(label=_("Excellent from (score)"), min_value=0, max_value=100, initial=85)
    qualified_from = forms.DecimalField(label=_("Qualified from (score)"), min_value=0, max_value=100, initial=60)
    excellent_quota = forms.IntegerField(
        label=_("Excellent at most (per cent of commissioners)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty for no quota."),
    )

    def clean(self):
        data = super().clean()
        weights = [data.get(name) for name in ("weight_volume", "weight_effect", "weight_opinion", "weight_manual")]
        if None not in weights and sum(weights) != 100:
            self.add_error("weight_manual", _("The four weights must add up to 100."))
        return data

    @staticmethod
    def initial_from(rubric: AppraisalRubric) -> dict:
        fields = [name for name in RubricForm.base_fields if name not in ("county", "year")]
        return {"county": rubric.county.code, "year": rubric.year, **{name: getattr(rubric, name) for name in fields}}


class SheetScoreForm(ActingUserForm):
    opinion_score = forms.DecimalField(
        label=_("Village opinion score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    manual_score = forms.DecimalField(
        label=_("Manual score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), required=False, widget=TEXTAREA)


class EmptyForm(ActingUserForm):
    """An action that needs nothing but the button."""
