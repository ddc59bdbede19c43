"""The paper sign-in sheet of an event, typed into a spreadsheet and imported: one row per person and day.

A row names a household member (household number and name) or anyone else (name, phone and, unless they registered
before, village). People not registered become walk-ins; everyone is signed in for the row's day. The whole sheet
is checked first and written in one transaction, or not at all; importing it twice changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.privacy import blind_index, validate_phone
from sciaid.core.scoping import VIEW
from sciaid.core.spreadsheets import Column, Importer, Row, RowError, parse_day
from sciaid.core.states import TransitionRefused
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household, code_validator
from sciaid.training import services
from sciaid.training.choices import ParticipantKind, SignInSource
from sciaid.training.models import Registration, TrainingEvent, person_key
from sciaid.training.services import Person
from sciaid.training.services.attendance import check_day, refuse_closed, registration_for
from sciaid.training.services.figures import refreshing_once

#: A phone number reserved for the template's example row: it never names a real trainee.
EXAMPLE_PHONE = "13800000000"


def parse_code(text: str) -> str:
    code_validator(text)
    return text


class RosterImporter(Importer):
    """One event's sign-in sheet; built for the event (`RosterImporter(user, event)`)."""

    columns = [
        Column("name", gettext_lazy("Full name"), example="张三", max_length=64),
        Column("household", gettext_lazy("Household number"), required=False, text=True),
        Column("phone", gettext_lazy("Phone"), validate_phone, required=False, example=EXAMPLE_PHONE, text=True),
        Column(
            "village",
            gettext_lazy("Village division code"),
            parse_code,
            required=False,
            example="340422105201",
            text=True,
        ),
        Column("day", gettext_lazy("Date"), parse_day, required=False, example="2020-05-22"),
    ]
    model = Registration
    example_key = "phone"

    def __init__(self, user, event: TrainingEvent):
        super().__init__(user)
        self.event = event
        self.households = Household.objects.for_user(user, VIEW).select_related("village")
        self.villages = Area.objects.filter(level=AreaLevel.VILLAGE)

    def prepare(self, rows: list[Row]) -> None:
        """The batch's households, villages and earlier registrations of its phones: one query each."""
        numbers = {row.values["household"] for row in rows if row.values["household"]}
        self.batch_households = {h.number: h for h in self.households.filter(number__in=numbers)}
        codes = {row.values["village"] for row in rows if row.values["village"]}
        self.batch_villages = {area.code: area for area in self.villages.filter(code__in=codes)}
        keys = {self._guest_key(row.values["phone"]): row for row in rows if row.values["phone"]}
        registered = Registration.objects.filter(event=self.event, person_key__in=keys).select_related("area")
        self.registered_areas = {registration.person_key: registration.area for registration in registered}

    @staticmethod
    def _guest_key(phone: str) -> str:
        return person_key(ParticipantKind.GUEST, phone_hash=blind_index(phone))

    def check_row(self, row: Row) -> None:
        values = row.values
        if values["household"]:
            household = self.batch_households.get(values["household"])
            if household is None:
                raise ValidationError({"household": _("No household with this number in your villages.")})
            person = Person(ParticipantKind.HOUSEHOLD, values["name"], household=household, phone=values["phone"] or "")
        elif values["phone"]:
            village = self.batch_villages.get(values["village"]) or self.registered_areas.get(
                self._guest_key(values["phone"])
            )
            if village is None:
                raise ValidationError({"village": _("Give the village of a person who did not register.")})
            person = Person(ParticipantKind.GUEST, values["name"], phone=values["phone"], village=village)
        else:
            raise ValidationError({"phone": _("Give the household number or the phone number.")})
        try:
            registration_for(self.user, self.event, person, walk_in=True)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None
        day = values["day"]
        if day is None:
            if len(self.event.days) > 1:
                raise ValidationError({"day": _("This training lasts several days: give the date of the sign-in.")})
            day = self.event.starts_on
        check_day(self.event, day)
        row.values.update(person=person, day=day)

    def check_rows(self, rows: list[Row]) -> list[RowError]:
        """A reported (or cancelled) event takes no sheet at all: the whole file is refused, before any row."""
        try:
            refuse_closed(TrainingEvent.objects.get(pk=self.event.pk))
        except TransitionRefused as exc:
            return [RowError(1, "", str(exc))]
        return []

    def write(self, rows: list[Row]) -> tuple[int, int, int]:
        created = 0
        with refreshing_once():
            for row in rows:
                _attendance, new = services.sign_in_walk_in(
                    self.user, self.event, row.values["person"], row.values["day"], SignInSource.ROSTER
                )
                created += new
        return created, 0, len(rows) - created
