"""Planning and running a training event: save, publish, hold, report, cancel; its materials.

Each function checks the acting user's role and jurisdiction and the event's state, writes the audit entry in the
same transaction (transitions through the state machine, saves through the audit signals) and tells the trainers
and the info officers concerned through their inbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.accounts.models import User
from sciaid.core import audit, files
from sciaid.core.models import ChangeAction
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, VIEW, area_allows, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.training.choices import TrainingStatus
from sciaid.training.fulfilment import check_fulfils
from sciaid.training.models import MANAGERS, Attendance, TrainingEvent, TrainingMaterial
from sciaid.training.services.figures import attendance_keys, event_keys, refresh_figures

#: States in which the plan (dates, venue, trainers) may still change.
EDITABLE = frozenset({TrainingStatus.DRAFT, TrainingStatus.PUBLISHED})
#: Largest material accepted (settings may override).
MATERIAL_MAX_BYTES = getattr(settings, "TRAINING_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)


def event_url(event: TrainingEvent) -> str:
    return reverse("training:event-detail", args=[event.pk])


def trainer_users(event: TrainingEvent) -> models.QuerySet:
    return User.objects.filter(expert__training_events=event)


def officers_of(event: TrainingEvent) -> models.QuerySet:
    """The info officers of the villages an event is held for (`notify` sends each once); a city's or province's
    course is announced on the pages, not to tens of thousands of inboxes."""
    if event.area.level < AreaLevel.COUNTY:
        return User.objects.none()
    return User.objects.filter(grants__role=Role.INFO_OFFICER, grants__area__code__range=event.area.subtree_bounds)


def _check_experts(user, trainers: Iterable[Expert]) -> list[Expert]:
    """Trainers are experts the planner may see (their county's, city's and province's)."""
    trainers = list(trainers)
    visible = Expert.objects.for_user(user, VIEW).filter(pk__in=[e.pk for e in trainers])
    if visible.count() != len({expert.pk for expert in trainers}):
        raise ValidationError({"trainers": _("Choose trainers among the experts of your jurisdiction.")})
    return trainers


def _record_links(event: TrainingEvent, field: str, before: list[int], after: list[int]) -> None:
    """Trainers and topics are many-to-many: the save signal does not see them, so a change is logged here."""
    if sorted(before) != sorted(after):
        audit.record(event, ChangeAction.UPDATE, {field: sorted(before)}, {field: sorted(after)}, note=field)


@service
def save_event(
    user,
    *,
    instance: TrainingEvent | None = None,
    trainers: Iterable[Expert] = (),
    topics: Iterable[Specialty] = (),
    fulfils: models.Model | None = None,
    **fields,
) -> TrainingEvent:
    """Plan a training in an area the user runs, or correct one that has not been held yet.

    Trainers added to a published event are told at once; the others hear when it is published.
    """
    if instance is not None:
        if not may(user, instance, CHANGE):
            raise PermissionDenied(_("This training is outside your jurisdiction."))
        if instance.status not in EDITABLE:
            raise ValidationError(_("A training that was held or cancelled can no longer be changed."))
    event = instance or TrainingEvent()
    for key, value in fields.items():
        setattr(event, key, value)
    if event.area_id is None or not area_allows(user, event.area, MANAGERS):
        raise ValidationError({"area": _("Choose an area of your jurisdiction.")})
    check_fulfils(user, fulfils)
    event.fulfils = fulfils
    trainers = _check_experts(user, trainers)
    event.full_clean()
    event.save()
    if not may(user, event, CHANGE):  # re-checked after the write, inside the transaction
        raise PermissionDenied(_("This change would move the training outside your jurisdiction."))
    before = {}
    for field, chosen in (("trainers", trainers), ("topics", list(topics))):
        related = getattr(event, field)
        before[field] = [] if instance is None else list(related.values_list("pk", flat=True))
        related.set(chosen)
        _record_links(event, field, before[field], [obj.pk for obj in chosen])
    if instance is not None:  # its trainees so far are counted by kind, which may have changed
        refresh_figures(attendance_keys(Attendance.objects.filter(event=event)))
    added = [expert.pk for expert in trainers if expert.pk not in before["trainers"]]
    if event.status == TrainingStatus.PUBLISHED and added:
        _announce(event, User.objects.filter(expert__in=added))
    return event


@service
def delete_event(user, event: TrainingEvent) -> None:
    """Remove a draft that will not be held (a published event is cancelled instead, so registrants hear of it)."""
    if not may(user, event, CHANGE):
        raise PermissionDenied(_("This training is outside your jurisdiction."))
    if event.status != TrainingStatus.DRAFT:
        raise TransitionRefused(_("Only a draft can be deleted; cancel a published training instead."))
    event.delete()


def _announce(event: TrainingEvent, recipients) -> None:
    def title() -> str:
        return _("Training: %(title)s") % {"title": event.title}

    def body() -> str:
        return _("%(first)s to %(last)s, %(place)s. Register the people of your villages on the training's page.") % {
            "first": f"{event.starts_on:%Y-%m-%d}",
            "last": f"{event.ends_on:%Y-%m-%d}",
            "place": event.address or event.area.name,
        }

    notify(recipients, title=title, body=body, url=event_url(event), kind="training.published")


@service
def publish_event(user, event: TrainingEvent) -> TrainingEvent:
    """Open the event for registration; its trainers and the info officers of its area are told."""
    event = TrainingEvent.workflow.apply(event, "publish", user)
    _announce(event, chain(trainer_users(event), officers_of(event)))
    return event


@service
def hold_event(user, event: TrainingEvent) -> TrainingEvent:
    """Record that the event took place (from its first day on); sign-in stays open until it is reported."""
    if event.starts_on > timezone.localdate():
        raise TransitionRefused(
            _("The training starts on %(day)s; it can be marked held from that day.")
            % {"day": f"{event.starts_on:%Y-%m-%d}"}
        )
    event = TrainingEvent.workflow.apply(event, "hold", user)
    refresh_figures(event_keys(event))
    return event


@service
def report_event(user, event: TrainingEvent) -> TrainingEvent:
    """Close the attendance: the figures are final, and further sign-ins are refused. The trainers are told."""
    event = TrainingEvent.workflow.apply(event, "report", user)
    refresh_figures(event_keys(event))
    trainees = Attendance.objects.filter(event=event).values("registration").distinct().count()

    def title() -> str:
        return _("Training reported: %(title)s") % {"title": event.title}

    def body() -> str:
        return _("%(count)d trainees signed in.") % {"count": trainees}

    notify(trainer_users(event), title=title, body=body, url=event_url(event), kind="training.reported")
    return event


@service
def cancel_event(user, event: TrainingEvent, reason: str) -> TrainingEvent:
    """Call off an event that has not taken place; trainers, expert trainees and whoever registered people hear."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the training is cancelled.")})
    if Attendance.objects.filter(event=event).exists():
        raise TransitionRefused(_("People have signed in to this training: mark it held instead of cancelling it."))
    event = TrainingEvent.workflow.apply(event, "cancel", user, note=reason, cancel_reason=reason[:300])
    refresh_figures(event_keys(event))
    registrants = User.objects.filter(pk__in=event.registrations.values("created_by"))
    trainees = User.objects.filter(expert__training_registrations__event=event)

    def title() -> str:
        return _("Training cancelled: %(title)s") % {"title": event.title}

    notify(
        chain(trainer_users(event), registrants, trainees),
        title=title,
        body=reason,
        url=event_url(event),
        kind="training.cancelled",
    )
    return event


# --- materials -----------------------------------------------------------------------------------------------------


def material_type(upload) -> tuple[str, str]:
    """(extension, media type) of a handout recognised by its content: PDF, or a Word, PowerPoint or Excel file.

    The uploaded name and the browser's type are never trusted; anything else, or anything too large, is refused.
    """
    found = files.checked_type(
        upload,
        {files.PDF, files.DOCX, files.PPTX, files.XLSX},
        field="file",
        max_bytes=MATERIAL_MAX_BYTES,
        refusal=_("Send a PDF, Word (.docx), PowerPoint (.pptx) or Excel (.xlsx) file."),
    )
    return found.extension, found.media_type


@service
def add_material(user, event: TrainingEvent, *, title: str, upload) -> TrainingMaterial:
    """Attach a handout to an event the user runs."""
    if not may(user, event, CHANGE):
        raise PermissionDenied(_("This training is outside your jurisdiction."))
    if event.status == TrainingStatus.CANCELLED:
        raise TransitionRefused(_("This training was cancelled."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the material a title.")})
    extension, media_type = material_type(upload)
    material = TrainingMaterial(event=event, title=title[:200], media_type=media_type, size=upload.size)
    material.file.save(f"material{extension}", upload, save=False)
    material.save()
    return material


@service
def delete_material(user, material: TrainingMaterial) -> None:
    if not may(user, material, CHANGE):
        raise PermissionDenied(_("This training is outside your jurisdiction."))
    material.file.delete(save=False)
    material.delete()
