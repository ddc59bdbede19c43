"""The state-machine helper every workflow uses (households now; demands, projects, workstations, orders later).

A workflow declares its transitions once; `apply()` checks the acting user's role and jurisdiction and the current
state, moves the row with a conditional UPDATE (so of two concurrent requests exactly one wins and the other gets a
clear refusal), and writes the audit entry, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from sciaid.core import audit
from sciaid.core.models import ChangeAction, to_json
from sciaid.core.scoping import CHANGE, granted_roles, is_unrestricted, may


class TransitionRefused(Exception):
    """A transition that may not happen now; the message says why, in the user's language."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    #: None: an action allowed only in `sources` that keeps the state (recording a call-back on a served demand).
    target: str | None
    roles: frozenset[str]
    label: str = ""


class StateMachine:
    """The transitions of one model's `field`; look them up by name."""

    def __init__(self, field: str, transitions: Iterable[Transition]):
        self.field = field
        self.transitions = {t.name: t for t in transitions}

    def available(self, obj: models.Model, user) -> list[Transition]:
        """The transitions this user could apply to this object now (for buttons on a page)."""
        state = getattr(obj, self.field)
        roles = granted_roles(user)
        return [
            t for t in self.transitions.values() if state in t.sources and (is_unrestricted(user) or roles & t.roles)
        ]

    @transaction.atomic
    def apply(self, obj: models.Model, name: str, user, note: str = "", **changes) -> models.Model:
        """Move `obj` along transition `name`, setting `changes` too; raises TransitionRefused when not allowed."""
        try:
            transition = self.transitions[name]
        except KeyError:
            raise TransitionRefused(_("Unknown action “%(name)s”.") % {"name": name}) from None
        if not is_unrestricted(user) and not (granted_roles(user) & transition.roles):
            raise TransitionRefused(_("Your role may not do this."))
        if not may(user, obj, CHANGE):
            raise TransitionRefused(_("This record is outside your jurisdiction."))
        model = type(obj)
        before = getattr(obj, self.field)
        target = before if transition.target is None else transition.target
        moves = {} if transition.target is None else {self.field: target}
        updated = model._default_manager.filter(pk=obj.pk, **{f"{self.field}__in": transition.sources}).update(
            **moves, **changes
        )
        if updated != 1:
            current = model._default_manager.filter(pk=obj.pk).values_list(self.field, flat=True).first()
            raise TransitionRefused(
                _("This cannot be done now: the record is “%(state)s”, perhaps someone else just changed it.")
                % {"state": _display(model, self.field, current)}
            )
        setattr(obj, self.field, target)
        for key, value in changes.items():
            setattr(obj, key, value)
        audit.record(
            obj,
            ChangeAction.TRANSITION,
            {self.field: before},
            {self.field: target, **_plain(changes)},
            note=note or transition.name,
        )
        return obj


def _display(model, field: str, value) -> str:
    choices = dict(model._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


def _plain(changes: dict) -> dict:
    return {key: to_json(value) for key, value in changes.items()}
