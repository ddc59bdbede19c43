"""Forms of service logs: a commissioner records a service in the field, on a phone; a confirmer returns one."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.forms import PhotosField
from sciaid.commissioners.forms import DATE_INPUT, SHORT_TEXT, TEXTAREA
from sciaid.commissioners.fulfilment import linkable_events
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.logs.services import MAX_LOG_PHOTOS
from sciaid.commissioners.teams.models import Team
from sciaid.core.forms import ActingUserForm
from sciaid.core.scoping import CHANGE
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.forms import village_field
from sciaid.regions.models import Area, Household
from sciaid.training.models import TrainingEvent


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
    training_event = forms.ModelChoiceField(
        label=_("Training event"),
        queryset=TrainingEvent.objects.none(),
        required=False,
        help_text=_(
            "For a training that fulfils one of your agreements: its sign-in list counts, not the participants above."
        ),
    )
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
        self.offer(self.commissioner())
        self.order_fields(["village", "kind", "served_on"])
        log = self.instance
        if log is not None:
            for name in self.fields:
                if name not in ("photos", "households", "village"):
                    self.initial[name] = getattr(log, name)
            self.initial["village"] = log.village.code
            self.initial["households"] = list(log.households.values_list("pk", flat=True))

    def commissioner(self) -> Expert | None:
        """Whose service is recorded: the acting commissioner's own."""
        return Expert.objects.filter(user_id=self.user.pk).first()

    def offer(self, expert: Expert | None) -> None:
        """Offer the villages, households, teams and training events of the commissioner's service this year and
        last (a log of last year's last weeks is often entered in January)."""
        year = date.today().year
        villages = serving_villages(expert, year) | serving_villages(expert, year - 1)
        self.fields["village"] = village_field(villages.distinct().order_by("code"))
        self.fields["households"].queryset = Household.objects.filter(village__in=villages).order_by("number")
        self.fields["team"].queryset = Team.objects.filter(members__expert=expert, year__gte=year - 1)
        events = self.fields["training_event"]
        events.queryset = linkable_events(self.user, expert).order_by("-starts_on", "-id")
        events.label_from_instance = lambda event: f"{event.starts_on:%Y-%m-%d} · {event.title}"

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class CountyLogForm(ServiceLogForm):
    """A service a county admin records on a commissioner's behalf (from paper, a call). The commissioner is chosen
    first (`expert`, the id from `?expert=` or the posted form), so that their villages, households and teams are
    offered; only commissioners paired in the admin's villages this year or last are offered and accepted."""

    def __init__(self, *args, expert: str | None = None, **kwargs):
        self.expert_id = expert
        super().__init__(*args, **kwargs)
        self.fields["team"].help_text = _("Leave empty for the commissioner's own service.")
        village = self.fields["village"]  # a commissioner also serving elsewhere: only this admin's villages
        village.queryset = village.queryset.filter(pk__in=Area.objects.for_user(self.user, CHANGE).values("pk"))
        self.order_fields(["expert", "village", "kind", "served_on"])

    def commissioner(self) -> Expert | None:
        paired = Pairing.objects.filter(
            village__in=Area.objects.for_user(self.user, CHANGE), year__gte=date.today().year - 1
        ).values("expert")
        choices = Expert.objects.filter(is_commissioner=True, is_active=True, pk__in=paired).order_by("name")
        self.fields["expert"] = forms.ModelChoiceField(label=_("Commissioner"), queryset=choices)
        chosen = choices.filter(pk=self.expert_id).first() if str(self.expert_id or "").isdigit() else None
        self.initial["expert"] = chosen
        return chosen


class ReturnForm(ActingUserForm):
    note = forms.CharField(label=_("What needs correcting"), widget=SHORT_TEXT)
