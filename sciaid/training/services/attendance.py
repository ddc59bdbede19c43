"""Who comes to a training: registering people, signing them in on the day (ticked, walk-in or from a paper sheet),
un-ticking a mistake, withdrawing a registration.

A person is registered once per event and signs in once per day: both are unique constraints, and every
get-or-create here catches the loser of a race (IntegrityError in a savepoint) and returns the winner's row. So
however often and in whatever order people are ticked, added and imported, each counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.core.privacy import blind_index, encrypt, mask_phone, optional_phone, validate_phone
from sciaid.core.scoping import CHANGE, VIEW, area_allows, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.training.choices import SIGN_IN_STATES, TOOK_PLACE, ParticipantKind, SignInSource, TrainingStatus
from sciaid.training.models import (
    MANAGERS,
    REGISTRARS,
    Attendance,
    Feedback,
    Registration,
    TrainingEvent,
    person_key,
)
from sciaid.training.services.figures import refresh_figures


@dataclass(frozen=True)
class Person:
    """Someone to register: a household member (household + name), an expert, or a guest (name, phone, village)."""

    kind: str
    name: str = ""
    household: Household | None = None
    expert: Expert | None = None
    phone: str = ""
    village: Area | None = None


def _locked(event: TrainingEvent) -> TrainingEvent:
    """The event re-read under a row lock: its state cannot change (be reported) until this transaction ends."""
    return TrainingEvent.objects.select_for_update().select_related("area").get(pk=event.pk)


def refuse_closed(event: TrainingEvent) -> None:
    """Sign-ins (ticks, walk-ins, sheets) are taken while the event is published or held: refused with a reason
    (TransitionRefused, a 409 in the API) once it is reported, and for a draft or a cancelled event."""
    if event.status == TrainingStatus.REPORTED:
        raise TransitionRefused(_("Attendance of this training is closed: it has been reported."))
    if event.status not in SIGN_IN_STATES:
        raise TransitionRefused(
            _("This training is “%(state)s”: nobody can sign in.") % {"state": event.get_status_display()}
        )


def create_once(row, **lookup) -> tuple:
    """Save `row` unless its unique twin (`lookup`) exists: (row in the database, created). The unique constraint
    decides, so two requests racing to create the same row get one row and neither an error."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        existing = type(row).objects.filter(**lookup).first()
        if existing is None:
            raise
        return existing, False
    return row, True


def tidy(name: str) -> str:
    """A name as typed, without stray spaces (the key that tells people apart ignores spaces altogether)."""
    return " ".join((name or "").split())


def is_trainer(user, event: TrainingEvent) -> bool:
    return event.trainers.filter(user_id=getattr(user, "pk", None)).exists()


def registration_for(user, event: TrainingEvent, person: Person, walk_in: bool) -> Registration:
    """The unsaved registration of `person`, with the area it concerns and their key; refused (ValidationError,
    PermissionDenied) when the user may not register them. Writes nothing: imports check their rows with it.

    Info officers register the people of their villages, the county anyone of the event's county, and its trainers
    add walk-ins on the day (guests only: trainers do not read the household registry).
    """
    trainer_walk_in = walk_in and is_trainer(user, event)
    registration = Registration(event=event, kind=person.kind, walk_in=walk_in)
    if person.kind == ParticipantKind.HOUSEHOLD:
        household = person.household
        if household is None or not Household.objects.for_user(user, VIEW).filter(pk=household.pk).exists():
            raise ValidationError({"household": _("Choose a household of your villages.")})
        name = tidy(person.name) or household.head_name
        registration.household, registration.name, registration.area = household, name, household.village
        phone = optional_phone(person.phone)
    elif person.kind == ParticipantKind.EXPERT:
        expert = person.expert
        if expert is None or not Expert.objects.for_user(user, VIEW).filter(pk=expert.pk).exists():
            raise ValidationError({"expert": _("Choose an expert of your jurisdiction.")})
        if not area_allows(user, event.area, MANAGERS):
            raise PermissionDenied(_("Experts are registered by the county that runs the training."))
        registration.expert, registration.name, registration.area = expert, expert.name, event.area
        phone = ""
    elif person.kind == ParticipantKind.GUEST:
        name = tidy(person.name)
        if not name:
            raise ValidationError({"name": _("Give the person's name.")})
        village = person.village
        if village is None or village.level != AreaLevel.VILLAGE:
            raise ValidationError({"village": _("Choose the person's village.")})
        registration.name, registration.area = name, village
        phone = validate_phone(person.phone)
    else:
        raise ValidationError({"kind": _("Choose who takes part.")})
    if not event.reaches(registration.area):
        raise ValidationError({"village": _("This training is for the people of another county.")})
    if not (trainer_walk_in or area_allows(user, registration.area, REGISTRARS)):
        raise PermissionDenied(_("You register the people of your own villages only."))
    registration.phone_encrypted = encrypt(phone)
    registration.phone_hash = blind_index(phone)
    registration.phone_masked = mask_phone(phone)
    registration.person_key = person_key(
        registration.kind,
        household_id=registration.household_id,
        name=registration.name,
        phone_hash=registration.phone_hash,
        expert_id=registration.expert_id,
    )
    return registration


@service
def register(user, event: TrainingEvent, person: Person, *, walk_in: bool = False) -> tuple[Registration, bool]:
    """Register a person for an event; (registration, created). Registering someone already registered returns
    their registration: a person is registered once per event, even when two officers register them at once.

    Registration is open while the event is published; walk-ins are added on the day too (published or held) and
    may exceed the capacity, which only limits registration in advance.
    """
    event = _locked(event)
    if walk_in:
        refuse_closed(event)
    elif event.status != TrainingStatus.PUBLISHED:
        raise TransitionRefused(_("Registration is open only while the training is published."))
    registration = registration_for(user, event, person, walk_in)
    existing = Registration.objects.filter(event=event, person_key=registration.person_key).first()
    if existing is not None:
        return existing, False
    full = event.capacity is not None and not walk_in
    if full and Registration.objects.filter(event=event, walk_in=False).count() >= event.capacity:
        raise ValidationError(_("This training is full: %(n)d people are registered.") % {"n": event.capacity})
    registration, created = create_once(registration, event=event, person_key=registration.person_key)
    if created and not may(user, registration, CHANGE):  # re-checked after the write, inside the transaction
        raise PermissionDenied(_("You register the people of your own villages only."))
    return registration, created


@service
def withdraw(user, registration: Registration) -> None:
    """Take back a registration made by mistake, before its person has signed in."""
    if not (area_allows(user, registration.area, REGISTRARS) and may(user, registration, CHANGE)):
        raise PermissionDenied(_("You register the people of your own villages only."))
    event = _locked(registration.event)
    if event.status not in SIGN_IN_STATES:
        raise TransitionRefused(_("Registrations of this training can no longer change."))
    if registration.attendances.exists():
        raise ValidationError(_("This person has signed in; a registration with sign-ins cannot be withdrawn."))
    registration.delete()


def default_day(event: TrainingEvent) -> date:
    """Today while the event runs; its last day once it is over (sheets typed in later); its first day before."""
    today = timezone.localdate()
    return min(max(today, event.starts_on), event.ends_on)


def check_day(event: TrainingEvent, day: date) -> None:
    """A sign-in's day lies within the event and has come."""
    if day not in event.days:
        raise ValidationError(
            {
                "day": _("The training runs from %(first)s to %(last)s.")
                % {"first": f"{event.starts_on:%Y-%m-%d}", "last": f"{event.ends_on:%Y-%m-%d}"}
            }
        )
    if day > timezone.localdate():
        raise ValidationError({"day": _("Nobody can sign in for a day that has not come yet.")})


@service
def sign_in(
    user, registration: Registration, day: date | None = None, source: str = SignInSource.TICK
) -> tuple[Attendance, bool]:
    """Sign a registered person in for a day of the event; (attendance, created). Signing in again changes nothing.

    Refused with TransitionRefused (409) once the event is reported, or when it is a draft or cancelled.
    """
    if not may(user, registration, CHANGE):
        raise PermissionDenied(_("You sign in the people of your own villages, or those of the trainings you teach."))
    event = _locked(registration.event)
    refuse_closed(event)
    day = day or default_day(event)
    check_day(event, day)
    attendance = Attendance(
        registration=registration, event=event, area_id=registration.area_id, day=day, source=source
    )
    attendance, created = create_once(attendance, registration=registration, day=day)
    if created:
        refresh_after(attendance, event)
    return attendance, created


def refresh_after(attendance: Attendance, event: TrainingEvent) -> None:
    """A sign-in came or went: the figures of the trainee's area and year, and those of the event's trainers when
    it has been held."""
    keys = {(attendance.area_id, attendance.day.year)}
    if event.status in TOOK_PLACE:
        keys.add((event.area_id, event.starts_on.year))
    refresh_figures(keys)


@service
def sign_in_walk_in(
    user, event: TrainingEvent, person: Person, day: date | None = None, source: str = ""
) -> tuple[Attendance, bool]:
    """Sign in someone who came without registering: they are registered (as a walk-in) and signed in at once.
    Someone who had registered after all is simply signed in; either way they count once. `source` says how the
    sign-in was recorded (a paper sheet); by default, as a walk-in or a tick."""
    registration, created = register(user, event, person, walk_in=True)
    return sign_in(user, registration, day, source or (SignInSource.WALK_IN if created else SignInSource.TICK))


@service
def sign_out(user, attendance: Attendance) -> None:
    """Un-tick a sign-in made by mistake, while the attendance is still open."""
    if not may(user, attendance, CHANGE):
        raise PermissionDenied(_("You sign in the people of your own villages, or those of the trainings you teach."))
    event = _locked(attendance.event)
    refuse_closed(event)
    registration = attendance.registration
    if Feedback.objects.filter(registration=registration).exists() and registration.attendances.count() == 1:
        raise ValidationError(_("This trainee has rated the training; their sign-in stays."))
    attendance.delete()
    refresh_after(attendance, event)
