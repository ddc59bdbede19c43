"""Handing a record of one app over to another app of the same layer, which makes its own record from it (a farmer's
demand, triaged as a need for a technique, becomes a technology need): one small plug-in point.

Apps of one layer may not import each other (DESIGN §4), so, as with `sciaid.core.suggestions`, the registry lives
here. The app that receives registers what it makes, from its `AppConfig.ready()`, under the kind of record it
accepts:

    register_handoff("assistance.demand", Handoff("technology_need", _("Turn into a technology need"),
                     "achievements:need-detail", make=need_from_source, made_from=need_of_demand,
                     may_offer=may_record_need))

The app that hands over offers the registered handoffs on its record's page and calls them from its own services
(`sciaid.assistance.handoffs`): it decides who may hand over and when, writes its own audit entry, and passes a
`Source` - plain facts, never its model - so the receiving app needs nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Source:
    """What a record handed over says, for the receiving app to make its own record from."""

    #: The record's primary key: the receiving app keeps it to find what it made (one record per source).
    pk: int
    title: str
    text: str
    #: The area (sciaid.regions.models.Area) the record concerns.
    area: models.Model
    #: Where it comes from, for the reader of the new record ("Demand no. 12: …").
    label: str
    #: Its industry or specialty (sciaid.experts.models.Specialty), if it has one.
    industry: models.Model | None = None


@dataclass(frozen=True)
class Handoff:
    """One kind of record an app makes from a handed-over one.

    make(user, source) creates the record (its service checks role and jurisdiction again); made_from(pk) is the
    record already made from the source with that key, or None; may_offer(user, source) says whether the receiving
    app would let this user make it, so no button leads to a certain refusal. `url_name` is the page of a record
    made, taking its primary key, which the handing app links to where the user may open it."""

    name: str
    label: object
    url_name: str
    make: Callable[[object, Source], models.Model]
    made_from: Callable[[int], models.Model | None]
    may_offer: Callable[[object, Source], bool]


_handoffs: dict[str, dict[str, Handoff]] = {}


def register_handoff(kind: str, handoff: Handoff) -> Handoff:
    """Accept records of `kind` ("assistance.demand") handed over as `handoff.name`; registering again replaces."""
    _handoffs.setdefault(kind, {})[handoff.name] = handoff
    return handoff


def unregister_handoff(kind: str, name: str) -> None:
    _handoffs.get(kind, {}).pop(name, None)


def handoffs(kind: str) -> list[Handoff]:
    """The handoffs registered for records of `kind`, in the order they were registered."""
    return list(_handoffs.get(kind, {}).values())


def handoff(kind: str, name: str) -> Handoff | None:
    return _handoffs.get(kind, {}).get(name)


__all__ = ["Handoff", "Source", "handoff", "handoffs", "register_handoff", "unregister_handoff"]
