"""Who may receive an allocation of each kind, when the recipient is a record of an app above funds.

funds sits below the apps whose records receive money (commissioners are experts, workstations are the
commissioners app's, projects their own app), so it cannot import them. Instead each of those apps registers, from
its `AppConfig.ready()`, where the recipients of its kind come from: `register_recipients(kind, candidates)`, where
`candidates(budget)` is the queryset of records that may receive money from that budget. The allocation form then
offers a choice among them instead of free text, and `services.allocate` refuses a recipient outside them. Kinds
nobody registers (the county platform, any other organisation) keep a free-text recipient name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class RecipientSource:
    """Where the recipients of one kind come from, and how the allocation form labels each (a name alone may be
    shared by two experts)."""

    candidates: Callable[[Model], QuerySet]
    label: Callable[[Model], str] = str


_SOURCES: dict[str, RecipientSource] = {}


def register_recipients(kind: str, candidates: Callable[[Model], QuerySet], label: Callable[[Model], str] = str):
    """Called once per kind by the app that owns its recipients (registering a kind again replaces it)."""
    _SOURCES[kind] = RecipientSource(candidates, label)


def recipient_source(kind: str) -> RecipientSource | None:
    """The registered source of `kind`'s recipients, or None when that kind's recipient is free text."""
    return _SOURCES.get(kind)
