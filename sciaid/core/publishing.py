"""What everything published to the public goes through: written as a draft, reviewed, published, withdrawn when
outdated. Knowledge articles, news and notices, and catalogued achievements share these states, so readers, the
API's schema and the public pages say the same thing about all of them.

They share the workflow too (`publication_workflow`) and the steps their services take along it (`submit`,
`publish_dated`, `return_to_draft`, `withdraw`, `redraft`): each app adds only its own rules (who is told, what must
be written before submitting).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sciaid.core.states import StateMachine, Transition

#: How long a review note may be (the `review_note` field of every published model).
NOTE_LENGTH = 300


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def publication_workflow(
    authors: Iterable[str], reviewers: Iterable[str], *, republish: bool = False, redraft: bool = True
) -> StateMachine:
    """The review workflow of a model's `status`: `authors` submit drafts; `reviewers` return, publish and withdraw.

    republish: a withdrawn row may be published again as it is (articles); redraft: a withdrawn row goes back to
    draft to be corrected first ("Edit again": news, achievements).
    """
    authors, reviewers = frozenset(authors), frozenset(reviewers)
    status = PublicationStatus
    published_from = {status.IN_REVIEW, status.WITHDRAWN} if republish else {status.IN_REVIEW}
    transitions = [
        Transition("submit", frozenset({status.DRAFT}), status.IN_REVIEW, authors, _("Submit for review")),
        Transition("return", frozenset({status.IN_REVIEW}), status.DRAFT, reviewers, _("Return to draft")),
        Transition("publish", frozenset(published_from), status.PUBLISHED, reviewers, _("Publish")),
        Transition("withdraw", frozenset({status.PUBLISHED}), status.WITHDRAWN, reviewers, _("Withdraw")),
    ]
    if redraft:
        transitions.append(
            Transition("redraft", frozenset({status.WITHDRAWN}), status.DRAFT, reviewers, _("Edit again"))
        )
    return StateMachine("status", transitions)


def _apply(obj: models.Model, name: str, user, **changes) -> models.Model:
    return type(obj).workflow.apply(obj, name, user, updated_at=timezone.now(), **changes)


def submit(obj: models.Model, user) -> models.Model:
    """Hand a draft to review; an earlier review's note no longer applies."""
    return _apply(obj, "submit", user, review_note="")


def publish_dated(obj: models.Model, user, *, on: date | None = None) -> models.Model:
    """Publish `obj` dated `on` (today by default) and signed by `user` (`published_on`, `published_by`)."""
    return _apply(obj, "publish", user, published_on=on or timezone.localdate(), published_by_id=user.pk)


def return_to_draft(obj: models.Model, user, note: str | None) -> models.Model:
    """Send `obj` in review back to draft; the note, required, says what to change and stays as its review note."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": gettext("Say what to change.")})
    return _apply(obj, "return", user, note=note, review_note=note[:NOTE_LENGTH])


def withdraw(obj: models.Model, user, note: str | None = "") -> models.Model:
    """Take `obj` off the public pages; the optional note says why (kept as its review note)."""
    note = (note or "").strip()
    return _apply(obj, "withdraw", user, note=note, review_note=note[:NOTE_LENGTH])


def redraft(obj: models.Model, user) -> models.Model:
    """Make a withdrawn `obj` a draft again, undated, to correct and publish it anew."""
    return _apply(obj, "redraft", user, published_on=None)
