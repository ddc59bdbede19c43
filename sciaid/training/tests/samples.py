"""Samples of the training models for the generic jurisdiction tests (see sciaid/tests/samples.py): per county one
held training in its first village, with a handout, and a household member registered, signed in and rating it —
all made through the services by the county's admin."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample
from sciaid.training import services
from sciaid.training.choices import ParticipantKind, TrainingKind
from sciaid.training.models import Attendance, Feedback, Registration, TrainingEvent, TrainingMaterial
from sciaid.training.services import Person

DAY = date(2020, 5, 22)
PDF = b"%PDF-1.4\n% sample handout\n"

#: The registrations of an event are listed under the event; an event's workflow steps are one URL each.
URL_KWARGS["training:registration-list"] = lambda registration: {"pk": registration.event_id}
URL_KWARGS["training:event-action"] = lambda event: {"pk": event.pk, "action": "report"}


@sample(TrainingEvent, fingerprints=lambda event: [event.title])
def event(world, county):
    title = f"Sample training {county.upper()}"
    found = TrainingEvent.objects.filter(title=title).first()
    if found is not None:
        return found
    admin = world.users[COUNTY_ADMINS[county]]
    made = services.save_event(
        admin,
        kind=TrainingKind.PRACTICAL,
        title=title,
        organiser_name="Sample bureau",
        area=world.areas[f"village_{county}1"],
        starts_on=DAY,
        ends_on=DAY,
    )
    services.add_material(admin, made, title=f"Sample handout {county.upper()}", upload=ContentFile(PDF, "a.pdf"))
    services.publish_event(admin, made)
    household = world.households[f"household_{county}1"]
    person = Person(ParticipantKind.HOUSEHOLD, f"Sample trainee {county.upper()}", household=household)
    registration, _created = services.register(admin, made, person)
    services.sign_in(admin, registration, DAY)
    services.hold_event(admin, made)
    services.give_feedback(admin, registration, rating=5, comment=f"Sample comment {county.upper()}")
    return made


@sample(TrainingMaterial, fingerprints=lambda material: [material.title])
def material(world, county):
    return TrainingMaterial.objects.get(event=event(world, county))


@sample(Registration, fingerprints=lambda registration: [registration.name])
def registration(world, county):
    return Registration.objects.get(event=event(world, county))


@sample(Attendance, fingerprints=lambda attendance: [attendance.registration.name])
def attendance(world, county):
    return Attendance.objects.select_related("registration").get(event=event(world, county))


@sample(Feedback, fingerprints=lambda feedback: [feedback.comment])
def feedback(world, county):
    return Feedback.objects.get(event=event(world, county))


# The knowledge base keeps its samples beside its own tests.
from sciaid.training.articles.tests import samples as article_samples  # noqa: E402, F401
