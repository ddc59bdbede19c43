"""Trainees rate an event they attended: 1–5 and a comment, once, given by themselves or by their info officer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sciaid.core.scoping import area_allows
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.training.choices import TOOK_PLACE
from sciaid.training.models import REGISTRARS, Feedback, Registration, TrainingEvent
from sciaid.training.services.figures import event_keys, refresh_figures


def is_the_trainee(user, registration: Registration) -> bool:
    """The farmer of the registered household, or the registered expert."""
    if registration.household_id is not None:
        return registration.household_id == getattr(user, "household_id", None)
    return registration.expert_id is not None and registration.expert.user_id == getattr(user, "pk", None)


def may_rate(user, registration: Registration) -> bool:
    """Who rates for a trainee: the trainee, or the info officer (or county) of the trainee's village — never the
    trainers, whose work is being rated."""
    return is_the_trainee(user, registration) or area_allows(user, registration.area, REGISTRARS)


@service
def give_feedback(user, registration: Registration, *, rating: int, comment: str = "") -> Feedback:
    """Record a trainee's rating of an event they signed in to, once it has taken place."""
    if not may_rate(user, registration):
        raise PermissionDenied(_("Trainees rate a training themselves, or their village's info officer does."))
    event = TrainingEvent.objects.get(pk=registration.event_id)
    if event.status not in TOOK_PLACE:
        raise TransitionRefused(_("A training is rated once it has been held."))
    if not registration.attendances.exists():
        raise ValidationError(_("Only trainees who signed in may rate the training."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    feedback = Feedback(
        registration=registration,
        event_id=registration.event_id,
        area_id=registration.area_id,
        rating=rating,
        comment=(comment or "").strip()[:500],
    )
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        raise ValidationError(_("This trainee has already rated the training.")) from None
    refresh_figures({(feedback.area_id, event.starts_on.year), *event_keys(event)})
    return feedback
