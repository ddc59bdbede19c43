"""Forms of the training pages: formats and choices from the user's jurisdiction; the rules stay in `services`."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.core.forms import ISO_DATE_INPUT, ActingUserForm, PhoneField
from sciaid.core.scoping import CHANGE, VIEW, Scope, area_allows, is_unrestricted
from sciaid.experts.forms import specialty_choices
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import fit_area_widget
from sciaid.regions.forms import village_field
from sciaid.regions.models import Area, Household
from sciaid.training.choices import OrganiserKind, ParticipantKind, TrainingKind
from sciaid.training.fulfilment import fulfillable_choices, label_of, resolve_fulfils
from sciaid.training.models import MANAGERS, REGISTRARS, TrainingEvent
from sciaid.training.services import Person, is_trainer

#: Above this many households in reach, a household is typed by its number rather than picked from a list.
HOUSEHOLD_SELECT_LIMIT = 300


class EventForm(ActingUserForm):
    """Plan or correct an event: its venue is an area the user runs; trainers are experts the user may see."""

    kind = forms.ChoiceField(label=_("Kind of training"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser_kind = forms.ChoiceField(label=_("Organiser kind"), choices=OrganiserKind.choices)
    organiser_name = forms.CharField(label=_("Organiser"), max_length=200)
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=Expert.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=specialty_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    area = forms.ModelChoiceField(
        label=_("Venue area"),
        queryset=Area.objects.none(),
        to_field_name="code",
        help_text=_("The village or township where it is held, or the county for a county-wide course."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("First day"), widget=ISO_DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=ISO_DATE_INPUT)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False, help_text=_("Empty: no limit."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    fulfils_type = forms.ChoiceField(label=_("Fulfils"), required=False)
    fulfils_id = forms.IntegerField(label=_("Record number"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = Expert.objects.for_user(self.user, VIEW).filter(is_active=True)
        self.fields["area"].queryset = Area.objects.for_user(self.user, CHANGE).order_by("code")
        fit_area_widget(self.fields["area"])
        kinds = fulfillable_choices()
        if kinds:
            self.fields["fulfils_type"].choices = [("", "—"), *kinds]
        else:
            del self.fields["fulfils_type"], self.fields["fulfils_id"]
        event = self.instance
        if event is not None:
            for name in ("kind", "title", "organiser_kind", "organiser_name", "address", "starts_on", "ends_on"):
                self.initial[name] = getattr(event, name)
            self.initial.update(
                capacity=event.capacity,
                description=event.description,
                area=event.area.code,
                trainers=list(event.trainers.all()),
                topics=[str(pk) for pk in event.topics.values_list("pk", flat=True)],
                fulfils_type=label_of(event.fulfils_type),
                fulfils_id=event.fulfils_id,
            )

    def clean(self):
        data = super().clean()
        if "fulfils_type" in self.fields:
            data["fulfils"] = resolve_fulfils(self.user, data.get("fulfils_type"), data.get("fulfils_id"))
        return data

    def service_fields(self) -> dict:
        """The cleaned values as `services.save_event` takes them."""
        data = dict(self.cleaned_data)
        data.pop("fulfils_type", None)
        data.pop("fulfils_id", None)
        data["topics"] = list(Specialty.objects.filter(pk__in=data["topics"]))
        return data


class ReasonForm(ActingUserForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class MaterialForm(ActingUserForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("Handout file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.pptx,.xlsx"}),
        help_text=_("PDF, Word, PowerPoint or Excel."),
    )


def registrar_villages(user, event: TrainingEvent):
    """Villages whose people the user may register for the event: their own, within the event's county."""
    villages = Area.objects.filter(level=AreaLevel.VILLAGE, code__startswith=event.reach_prefix).order_by("code")
    if is_unrestricted(user):
        return villages
    condition = Scope(code_path="code", change=REGISTRARS).filter_for(user, CHANGE)
    return villages.filter(condition) if condition is not None else villages.none()


class PersonForm(ActingUserForm):
    """Who is registered: a member of a household of the user's villages, someone else with a phone number and
    village, or (for the county) an expert. Built for one event (`event=`); it offers only what the user may pick.

    On the day (`walk_in=True`) the event's trainers add people too: anyone of the event's county, as other people
    (trainers do not read the household registry).
    """

    kind = forms.ChoiceField(label=_("Participant"), choices=ParticipantKind.choices, widget=forms.RadioSelect)
    household = forms.ModelChoiceField(
        label=_("Household"), queryset=Household.objects.none(), required=False, to_field_name="number"
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=64,
        required=False,
        help_text=_("For a household member: leave empty for the head of the household."),
    )
    phone = PhoneField(label=_("Phone"), required=False)
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=Expert.objects.none(), required=False)

    def __init__(self, *args, event: TrainingEvent, walk_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        own = registrar_villages(self.user, event)
        guests = own
        if walk_in and is_trainer(self.user, event):
            guests = Area.objects.for_user(self.user, VIEW).filter(
                level=AreaLevel.VILLAGE, code__startswith=event.reach_prefix
            )
        self.fields["village"] = village_field(guests.order_by("code"), required=False)
        households = Household.objects.for_user(self.user, VIEW).filter(village__in=own).order_by("number")
        self.fields["household"].queryset = households
        self.fields["household"].label_from_instance = lambda h: f"{h.head_name} · {h.number}"
        if households.count() > HOUSEHOLD_SELECT_LIMIT:
            self.fields["household"].widget = forms.TextInput(attrs={"inputmode": "numeric"})
            self.fields["household"].help_text = _("The household number, as in the registry.")
        kinds = dict(ParticipantKind.choices)
        if not own.exists():
            del kinds[ParticipantKind.HOUSEHOLD], self.fields["household"]
        if not guests.exists():
            del kinds[ParticipantKind.GUEST]
        if area_allows(self.user, event.area, MANAGERS):
            self.fields["expert"].queryset = Expert.objects.for_user(self.user, VIEW).filter(is_active=True)
        else:
            del kinds[ParticipantKind.EXPERT], self.fields["expert"]
        self.fields["kind"].choices = list(kinds.items())
        self.fields["kind"].initial = next(iter(kinds), None)
        self.order_fields(["kind", "household", "expert", "name", "phone", "village"])

    def clean(self):
        data = super().clean()
        required = {
            ParticipantKind.HOUSEHOLD: ("household",),
            ParticipantKind.GUEST: ("name", "phone", "village"),
            ParticipantKind.EXPERT: ("expert",),
        }.get(data.get("kind"), ())
        for name in required:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, ValidationError(_("This field is required."), code="required"))
        return data

    def person(self) -> Person:
        data = self.cleaned_data
        return Person(
            kind=data["kind"],
            name=data.get("name") or "",
            household=data.get("household"),
            expert=data.get("expert"),
            phone=data.get("phone") or "",
            village=data.get("village"),
        )


def day_choices(event: TrainingEvent) -> list[tuple[str, str]]:
    """The event's days up to today, as ISO dates (the page shows them, the sign-in takes one)."""
    today = timezone.localdate()
    return [(day.isoformat(), f"{day:%Y-%m-%d}") for day in event.days if day <= today]


def day_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)


class DayForm(ActingUserForm):
    """The day a sign-in is for: one of the event's days that has come."""

    day = day_field()

    def __init__(self, *args, event: TrainingEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = day_choices(event)


class WalkInForm(PersonForm):
    """Someone who came without registering, signed in for one of the event's days."""

    day = day_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, walk_in=True, **kwargs)
        self.fields["day"].choices = day_choices(self.event)


class FeedbackForm(ActingUserForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 excellent · 4 good · 3 fair · 2 poor · 1 very poor"),
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
