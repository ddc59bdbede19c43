"""The training services: each workflow step and its refusals, registration and sign-in rules (a person once per
event, walk-ins counted once, nothing after the report), ratings and materials."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from sciaid.core.models import ChangeAction, Notification, ObjectChange
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Expert
from sciaid.training import services
from sciaid.training.choices import ParticipantKind, SignInSource, TrainingStatus
from sciaid.training.models import Attendance, Registration, TrainingEvent
from sciaid.training.services import Person
from sciaid.training.services.attendance import create_once, registration_for
from sciaid.training.tests.conftest import DAY, PDF, guest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def trainees(event) -> int:
    return TrainingEvent.objects.with_figures().get(pk=event.pk).trainees


# --- the workflow --------------------------------------------------------------------------------------------------


def test_a_county_admin_plans_publishes_holds_and_reports_a_training(world, make_event, trainer):
    event = make_event(publish=False, trainers=[trainer])
    assert event.status == TrainingStatus.DRAFT
    services.publish_event(world.county_admin, event)
    assert Notification.objects.filter(recipient=world.expert, kind="training.published").count() == 1
    assert Notification.objects.filter(recipient=world.info_officer, kind="training.published").count() == 1
    assert not Notification.objects.filter(recipient=world.info_officer_b).exists()
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    event.refresh_from_db()
    assert event.status == TrainingStatus.REPORTED
    steps = ObjectChange.objects.filter(object_id=str(event.pk), action=ChangeAction.TRANSITION)
    assert [change.note for change in steps.order_by("id")] == ["publish", "hold", "report"]
    assert Notification.objects.filter(recipient=world.expert, kind="training.reported").exists()


def test_trainers_are_logged_in_the_audit_trail(world, make_event, trainer):
    event = make_event(publish=False)
    services.save_event(
        world.county_admin,
        instance=event,
        trainers=[trainer],
        kind=event.kind,
        title=event.title,
        organiser_name=event.organiser_name,
        area=event.area,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )
    change = ObjectChange.objects.get(object_id=str(event.pk), note="trainers")
    assert (change.before, change.after) == ({"trainers": []}, {"trainers": [trainer.pk]})


def test_only_the_county_plans_and_runs_its_trainings(world, make_event):
    with pytest.raises(ValidationError) as refused:
        make_event(by="info_officer")
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError):
        make_event(area="village_b1", by="county_admin")
    event = make_event(publish=False)
    with pytest.raises(TransitionRefused, match="role"):
        services.publish_event(world.info_officer, event)
    with pytest.raises(TransitionRefused, match="jurisdiction"):
        services.publish_event(world.county_admin_b, event)


def test_trainers_come_from_the_users_jurisdiction(world, make_event, trainer):
    other = Expert.objects.create(
        user=world.info_officer_b, name="外县专家", organisation="凤台县农业农村局", home_area=world.county_b
    )
    with pytest.raises(ValidationError) as refused:
        make_event(trainers=[trainer, other])
    assert "trainers" in refused.value.message_dict


def test_dates_must_make_sense(make_event):
    with pytest.raises(ValidationError):
        make_event(first=DAY, days=0)
    with pytest.raises(ValidationError):
        make_event(days=40)


def test_a_training_is_marked_held_from_its_first_day_only(world, make_event):
    event = make_event(first=timezone.localdate() + timedelta(days=3))
    with pytest.raises(TransitionRefused, match="starts on"):
        services.hold_event(world.county_admin, event)
    with pytest.raises(TransitionRefused):
        services.report_event(world.county_admin, event)


def test_a_held_training_can_no_longer_be_changed(world, make_event):
    event = make_event()
    services.hold_event(world.county_admin, event)
    with pytest.raises(ValidationError, match="held or cancelled"):
        services.save_event(world.county_admin, instance=event, title="改名")


def test_only_drafts_are_deleted(world, make_event):
    published = make_event()
    with pytest.raises(TransitionRefused):
        services.delete_event(world.county_admin, published)
    draft = make_event(publish=False)
    services.delete_event(world.county_admin, draft)
    assert not TrainingEvent.objects.filter(pk=draft.pk).exists()


def test_cancelling_needs_a_reason_and_tells_the_registrants(world, make_event, member):
    event = make_event()
    services.register(world.info_officer, event, member())
    with pytest.raises(ValidationError):
        services.cancel_event(world.county_admin, event, "  ")
    services.cancel_event(world.county_admin, event, "暴雨预警，延期举行")
    event.refresh_from_db()
    assert (event.status, event.cancel_reason) == (TrainingStatus.CANCELLED, "暴雨预警，延期举行")
    notice = Notification.objects.get(recipient=world.info_officer, kind="training.cancelled")
    assert notice.body == "暴雨预警，延期举行"


def test_a_training_people_signed_in_to_cannot_be_cancelled(world, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    services.sign_in(world.info_officer, registration, DAY)
    with pytest.raises(TransitionRefused, match="mark it held"):
        services.cancel_event(world.county_admin, event, "改期")


# --- registration --------------------------------------------------------------------------------------------------


def test_a_person_is_registered_once_however_often_and_by_whom(world, make_event, member):
    event = make_event()
    first, created = services.register(world.info_officer, event, member(name="张三"))
    again, created_again = services.register(world.county_admin, event, member(name=" 张 三 "))
    assert created and not created_again
    assert again == first and Registration.objects.filter(event=event).count() == 1
    head, _ = services.register(world.info_officer, event, member())
    assert head.name == world.household_a1.head_name and head != first


def test_the_loser_of_a_registration_race_gets_the_winners_row(world, make_event, member):
    """Two officers registering the same person at once both pass the "already registered?" check; the unique
    constraint then lets one insert win and the other gets that row back instead of an error."""
    event = make_event()
    winner, _ = services.register(world.info_officer, event, member())
    loser = registration_for(world.county_admin, event, member(), walk_in=False)
    assert create_once(loser, event=event, person_key=loser.person_key) == (winner, False)
    assert Registration.objects.filter(event=event).count() == 1


def test_a_guest_is_known_by_phone_and_the_phone_is_kept_encrypted(world, make_event):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, guest(world, phone="139 0554 1234"))
    again, created = services.register(world.info_officer, event, guest(world, phone="13905541234", name="王 五"))
    assert again == registration and not created
    assert registration.phone == "13905541234" and registration.phone_masked == "139****1234"
    assert "13905541234" not in registration.phone_encrypted + registration.person_key
    with pytest.raises(ValidationError):
        services.register(world.info_officer, event, guest(world, phone="12345"))


def test_registration_is_open_only_while_published(world, make_event, member):
    draft = make_event(publish=False)
    with pytest.raises(TransitionRefused, match="published"):
        services.register(world.info_officer, draft, member())
    held = make_event()
    services.hold_event(world.county_admin, held)
    with pytest.raises(TransitionRefused):
        services.register(world.info_officer, held, member())


def test_a_full_training_refuses_registrations_but_not_walk_ins(world, make_event, member):
    event = make_event(capacity=1)
    services.register(world.info_officer, event, member())
    with pytest.raises(ValidationError, match="full"):
        services.register(world.info_officer, event, guest(world))
    attendance, created = services.sign_in_walk_in(world.info_officer, event, guest(world), DAY)
    assert created and attendance.registration.walk_in


def test_an_info_officer_registers_the_people_of_their_own_village_only(world, make_event, member):
    event = make_event(area="county_a")
    with pytest.raises(ValidationError) as refused:
        services.register(world.info_officer, event, member("household_a2"))
    assert "household" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.register(world.info_officer, event, guest(world, village="village_a2"))
    registration, _ = services.register(world.county_admin, event, member("household_a2"))
    assert registration.area == world.village_a2


def test_people_of_another_county_are_not_registered(world, make_event):
    event = make_event(area="township_a1")
    with pytest.raises(ValidationError, match="another county"):
        services.register(world.admin, event, guest(world, village="village_b1"))


def test_experts_are_registered_by_the_county(world, make_event, trainer):
    event = make_event(area="county_a")
    person = Person(ParticipantKind.EXPERT, expert=trainer)
    with pytest.raises(PermissionDenied):
        services.register(world.info_officer, event, person)
    registration, _ = services.register(world.county_admin, event, person)
    assert (registration.name, registration.area) == ("李明华", world.county_a)
    assert registration.person_key == f"e:{trainer.pk}"


def test_a_registration_without_sign_ins_is_withdrawn(world, make_event, member):
    event = make_event()
    kept, _ = services.register(world.info_officer, event, member())
    dropped, _ = services.register(world.info_officer, event, member(name="李四"))
    services.sign_in(world.info_officer, kept, DAY)
    services.withdraw(world.info_officer, dropped)
    with pytest.raises(ValidationError):
        services.withdraw(world.info_officer, kept)
    assert list(Registration.objects.filter(event=event)) == [kept]


# --- sign-in -------------------------------------------------------------------------------------------------------


def test_a_walk_in_is_counted_once_however_often_signed_in(world, make_event):
    event = make_event()
    first, created = services.sign_in_walk_in(world.info_officer, event, guest(world), DAY)
    again, created_again = services.sign_in_walk_in(world.county_admin, event, guest(world), DAY)
    ticked, ticked_again = services.sign_in(world.info_officer, first.registration, DAY)
    assert created and not created_again and not ticked_again
    assert first == again == ticked and first.source == SignInSource.WALK_IN
    assert Registration.objects.filter(event=event).count() == 1 and trainees(event) == 1


def test_signing_in_someone_registered_as_a_walk_in_is_a_tick(world, make_event, member):
    event = make_event()
    services.register(world.info_officer, event, member())
    attendance, created = services.sign_in_walk_in(world.info_officer, event, member(), DAY)
    assert created and attendance.source == SignInSource.TICK and not attendance.registration.walk_in


def test_a_multi_day_course_counts_each_trainee_once(world, make_event, member):
    event = make_event(days=3)
    registration, _ = services.register(world.info_officer, event, member())
    for offset in range(3):
        services.sign_in(world.info_officer, registration, DAY + timedelta(days=offset))
    assert Attendance.objects.filter(registration=registration).count() == 3
    assert trainees(event) == 1


def test_signing_in_after_the_training_is_reported_is_refused(world, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    with pytest.raises(TransitionRefused, match="closed"):
        services.sign_in(world.info_officer, registration, DAY)
    with pytest.raises(TransitionRefused, match="closed"):
        services.sign_in_walk_in(world.info_officer, event, guest(world), DAY)
    assert not Attendance.objects.exists()


def test_sign_in_days_lie_within_the_training_and_have_come(world, make_event, member):
    today = timezone.localdate()
    event = make_event(first=today - timedelta(days=1), days=3)
    registration, _ = services.register(world.info_officer, event, member())
    with pytest.raises(ValidationError) as outside:
        services.sign_in(world.info_officer, registration, today - timedelta(days=5))
    assert "day" in outside.value.message_dict
    with pytest.raises(ValidationError, match="not come"):
        services.sign_in(world.info_officer, registration, today + timedelta(days=1))
    attendance, _ = services.sign_in(world.info_officer, registration)
    assert attendance.day == today


def test_a_trainer_signs_in_their_trainees_and_adds_guests_on_the_day(world, make_event, member, trainer):
    event = make_event(trainers=[trainer])
    registration, _ = services.register(world.info_officer, event, member())
    services.sign_in(world.expert, registration, DAY)
    attendance, _ = services.sign_in_walk_in(world.expert, event, guest(world, village="village_a3"), DAY)
    assert attendance.registration.area == world.village_a3
    with pytest.raises(ValidationError):
        services.sign_in_walk_in(world.expert, event, member("household_a2"), DAY)
    other = make_event(title="另一场培训")
    with pytest.raises(PermissionDenied):
        services.sign_in_walk_in(world.expert, other, guest(world), DAY)


def test_an_info_officer_signs_in_the_people_of_their_own_village_only(world, make_event, member):
    event = make_event(area="county_a")
    registration, _ = services.register(world.county_admin, event, member("household_a2"))
    with pytest.raises(PermissionDenied):
        services.sign_in(world.info_officer, registration, DAY)


def test_a_mistaken_tick_is_taken_back_until_the_report(world, make_event, member):
    event = make_event()
    registration, _ = services.register(world.info_officer, event, member())
    attendance, _ = services.sign_in(world.info_officer, registration, DAY)
    services.sign_out(world.info_officer, attendance)
    attendance, _ = services.sign_in(world.info_officer, registration, DAY)
    services.hold_event(world.county_admin, event)
    services.report_event(world.county_admin, event)
    with pytest.raises(TransitionRefused):
        services.sign_out(world.info_officer, attendance)
    assert trainees(event) == 1


# --- ratings -------------------------------------------------------------------------------------------------------


def test_a_trainee_rates_a_training_once_after_attending_it(world, make_event, member):
    event = make_event()
    attended, _ = services.register(world.info_officer, event, member())
    absent, _ = services.register(world.info_officer, event, member(name="李四"))
    services.sign_in(world.info_officer, attended, DAY)
    with pytest.raises(TransitionRefused, match="held"):
        services.give_feedback(world.farmer, attended, rating=5)
    services.hold_event(world.county_admin, event)
    with pytest.raises(ValidationError):
        services.give_feedback(world.farmer, attended, rating=6)
    with pytest.raises(ValidationError, match="signed in"):
        services.give_feedback(world.info_officer, absent, rating=4)
    feedback = services.give_feedback(world.farmer, attended, rating=5, comment="讲得很实用")
    assert (feedback.rating, feedback.area, feedback.created_by) == (5, world.village_a1, world.farmer)
    with pytest.raises(ValidationError, match="already"):
        services.give_feedback(world.info_officer, attended, rating=3)


def test_trainers_never_rate_their_own_trainings(world, make_event, member, trainer):
    event = make_event(trainers=[trainer])
    registration, _ = services.register(world.info_officer, event, member())
    services.sign_in(world.info_officer, registration, DAY)
    services.hold_event(world.county_admin, event)
    with pytest.raises(PermissionDenied):
        services.give_feedback(world.expert, registration, rating=5)


# --- materials -----------------------------------------------------------------------------------------------------


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


def test_materials_are_recognised_by_their_content(world, make_event):
    event = make_event()
    handout = services.add_material(world.county_admin, event, title="讲义", upload=ContentFile(PDF, "讲义.pdf"))
    assert (handout.media_type, handout.file.name.endswith(".pdf")) == ("application/pdf", True)
    assert "讲义" not in handout.file.name
    slides = services.add_material(
        world.county_admin, event, title="课件", upload=ContentFile(office_file("ppt/presentation.xml"), "a.pdf")
    )
    assert slides.file.name.endswith(".pptx")
    for content in (b"MZ\x90\x00 not a document", office_file("other.xml")):
        with pytest.raises(ValidationError) as refused:
            services.add_material(world.county_admin, event, title="x", upload=ContentFile(content, "x.pdf"))
        assert "file" in refused.value.message_dict


def test_materials_over_the_size_limit_are_refused(world, make_event, monkeypatch):
    monkeypatch.setattr(services.events, "MATERIAL_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="at most"):
        services.add_material(world.county_admin, make_event(), title="大文件", upload=ContentFile(PDF, "a.pdf"))


def test_only_the_county_adds_materials(world, make_event):
    with pytest.raises(PermissionDenied):
        services.add_material(world.info_officer, make_event(), title="讲义", upload=ContentFile(PDF, "a.pdf"))


def test_registration_and_sign_in_write_the_area_they_concern(world, make_event, member):
    event = make_event(area="township_a1", first=date(2020, 6, 1))
    registration, _ = services.register(world.county_admin, event, member("household_a2"))
    attendance, _ = services.sign_in(world.county_admin, registration, date(2020, 6, 1))
    assert registration.area == attendance.area == world.village_a2
