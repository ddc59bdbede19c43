"""Forms of the demand pages. They check what one form can (required fields, sizes, choices) and hand the rest to
`services`, which owns every business rule (jurisdiction, state, duplicates, photo checks)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sciaid.assistance.choices import ServiceMode, Urgency
from sciaid.assistance.models import JUDGEMENT_CRITERIA, Demand
from sciaid.assistance.services import experts_in_reach
from sciaid.core.backdating import past_date_field
from sciaid.core.forms import ActingUserForm
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, Scope, granted_roles, is_unrestricted
from sciaid.experts.forms import specialty_choices
from sciaid.experts.models import Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class MultiplePhotoInput(forms.ClearableFileInput):
    """Several pictures at once; on a phone `capture` offers the camera."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ASSISTANCE_MAX_PHOTOS pictures; the service checks and re-encodes each one."""

    def __init__(self, **kwargs):
        attrs = {"accept": "image/*", "multiple": True, "capture": "environment"}
        kwargs.setdefault("widget", MultiplePhotoInput(attrs=attrs))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Photos"))
        kwargs.setdefault(
            "help_text", _("Up to %(n)d pictures of the problem.") % {"n": settings.ASSISTANCE_MAX_PHOTOS}
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.ASSISTANCE_MAX_PHOTOS:
            raise forms.ValidationError(
                _("Send at most %(n)d photos.") % {"n": settings.ASSISTANCE_MAX_PHOTOS}, code="too_many"
            )
        return [super(PhotosField, self).clean(f, initial) for f in files]


class SpecialtyField(forms.TypedChoiceField):
    """The specialty tree as a grouped select (planting › vegetables …); cleans to the Specialty."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Specialty"), coerce=self.specialty, **kwargs)
        self.choices = [("", "---------"), *specialty_choices()]

    @staticmethod
    def specialty(pk: str) -> Specialty:
        return Specialty.objects.get(pk=pk)


class DemandFields(ActingUserForm):
    """What a demand says: shared by the submission and the triage officer's classification."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=TEXTAREA)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    preferred_mode = forms.ChoiceField(
        label=_("Preferred service"), choices=ServiceMode.choices, initial=ServiceMode.ONLINE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialty"] = SpecialtyField()
        self.order_fields(["title", "description", "specialty"])


def officer_villages(user):
    """The villages an info officer submits for: those under their own grants."""
    villages = Area.objects.filter(level=AreaLevel.VILLAGE).order_by("code")
    if is_unrestricted(user):
        return villages
    condition = Scope(code_path="code", change=frozenset({Role.INFO_OFFICER})).filter_for(user, CHANGE)
    return villages.filter(condition) if condition is not None else villages.none()


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, household: Household) -> str:
        return f"{household.number} {household.head_name} · {household.village.name}"


class SubmitForm(DemandFields):
    """A new demand. An info officer chooses the village (and the household, if registered); a farmer's demand is
    always about their own household, so they choose neither."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"] = PhotosField()
        if is_unrestricted(self.user) or Role.INFO_OFFICER in granted_roles(self.user):
            villages = officer_villages(self.user)
            # An officer of one village (the usual case) has nothing to choose.
            only_one = villages[:2].count() == 1
            self.fields["village"] = forms.ModelChoiceField(
                queryset=villages, label=_("Village"), empty_label=None if only_one else "---------"
            )
            self.fields["household"] = HouseholdChoiceField(
                queryset=Household.objects.filter(village__in=villages).select_related("village").order_by("number"),
                label=_("Household"),
                required=False,
                help_text=_("Optional: the household from the registry."),
            )
            self.order_fields(["village", "household", "title", "description", "specialty"])


class TriageForm(DemandFields):
    """Classify and correct a demand; starts from what it says now."""

    def __init__(self, *args, instance: Demand, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        for name in ("title", "description", "urgency", "preferred_mode"):
            self.initial.setdefault(name, getattr(instance, name))
        self.initial.setdefault("specialty", instance.specialty_id)


class DatedForm(ActingUserForm):
    """A step staff may record after it happened: the day it did (empty: today). A farmer acting for themselves
    acts now, so the field is not offered to them."""

    occurred_on = past_date_field(_("Date it happened"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_unrestricted(self.user) and granted_roles(self.user) <= {Role.FARMER}:
            del self.fields["occurred_on"]


class AssignForm(DatedForm):
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one expert.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts_in_reach(self.instance).distinct()


class MergeForm(ActingUserForm):
    into = forms.IntegerField(label=_("Number of the demand to merge into"), min_value=1)

    def clean_into(self) -> Demand:
        into = Demand.objects.for_user(self.user).select_related("village").filter(pk=self.cleaned_data["into"]).first()
        if into is None:
            raise forms.ValidationError(_("No such demand in your county."))
        return into


class ReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(ActingUserForm):
    text = forms.CharField(label=_("Message"), widget=TEXTAREA)
    asks_requester = forms.BooleanField(label=_("Ask the farmer (the clock waits for the answer)"), required=False)
    photos = PhotosField()


class VisitForm(ActingUserForm):
    scheduled_for = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(ActingUserForm):
    solution_summary = forms.CharField(label=_("Solution summary"), widget=TEXTAREA)


class RateForm(DatedForm):
    rating = forms.TypedChoiceField(
        label=pgettext_lazy("service rating", "Rating"),
        coerce=int,
        choices=[(n, "★" * n) for n in range(1, 6)],
        widget=forms.RadioSelect(attrs={"class": "stars"}),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CallbackForm(DatedForm):
    answer = forms.CharField(label=_("The farmer's answer"), widget=forms.Textarea(attrs={"rows": 2}))
    satisfied = forms.BooleanField(label=_("The farmer is satisfied"), required=False)


class JudgeForm(DatedForm):
    """The five criteria of a valid service, then the verdict (valid needs all five)."""

    valid = forms.BooleanField(label=_("Valid service"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in JUDGEMENT_CRITERIA:
            self.fields[name] = forms.BooleanField(label=Demand._meta.get_field(name).verbose_name, required=False)
        self.order_fields([*JUDGEMENT_CRITERIA, "valid", "note"])


class EmptyForm(ActingUserForm):
    """An action that needs nothing but the button (accept, close)."""


class HandoffForm(ActingUserForm):
    """Which registered handoff the button makes (`sciaid.assistance.handoffs`); the service refuses an unknown one."""

    to = forms.CharField(max_length=50, widget=forms.HiddenInput)


class SlaPolicyForm(ActingUserForm):
    """A county's SLA targets; the county is one the acting admin manages."""

    county = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("County"))
    triage_hours = forms.IntegerField(label=_("Triage within (working hours)"), min_value=1, max_value=720)
    accept_hours = forms.IntegerField(label=_("Acceptance within (working hours)"), min_value=1, max_value=720)
    resolve_hours = forms.IntegerField(label=_("Resolution within (working hours)"), min_value=1, max_value=2160)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Area.objects.for_user(self.user, CHANGE).filter(level=AreaLevel.COUNTY).order_by("code")
        self.fields["county"].queryset = counties
        self.fields["county"].empty_label = None


# --- knowledge review and subsidy statements ----------------------------------------------------------------


class PublishForm(ActingUserForm):
    """The reviewer's edit of a knowledge entry before publishing; the text is scrubbed again when saved."""

    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Question"), required=False, widget=TEXTAREA)
    body = forms.CharField(label=_("Solution"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            for name in self.fields:
                self.fields[name].initial = getattr(self.instance, name)


class DismissForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatementForm(ActingUserForm):
    """Compute (or recompute) the subsidy statement of one of the admin's counties for a year."""

    county = forms.ModelChoiceField(queryset=Area.objects.none(), to_field_name="code", label=_("County"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Area.objects.for_user(self.user, CHANGE).filter(level=AreaLevel.COUNTY).order_by("code")
        self.fields["county"].queryset = counties
        self.fields["county"].empty_label = None
