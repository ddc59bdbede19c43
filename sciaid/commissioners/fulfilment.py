"""Commissioners' training events: which records an event may fulfil, which event a service log may record, and the
events' figures the agreements and the statistics add.

One source of truth: a training event is the record of the training it holds. A commissioner's training that
fulfils one of their agreements counts toward the agreement's targets and the commissioner statistics through the
event's attendance (`sciaid.training.statistics.fulfilment_figures`: events that took place, each trainee once per
event). A service log may point at that event (`ServiceLog.training_event`) to say "this visit was that training":
the log still counts as a service, but never its own training or participants, so a training written both ways, or
linked from two logs, counts once. An event counts where its agreement counts: the agreement's village and year.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.logs.models import ServiceLog
from sciaid.commissioners.workstations.models import Workstation
from sciaid.core.scoping import VIEW
from sciaid.experts.models import Expert
from sciaid.regions.choices import CODE_DIGITS
from sciaid.regions.models import Area
from sciaid.training.choices import SIGN_IN_STATES, TOOK_PLACE
from sciaid.training.fulfilment import fulfilled, register_fulfillable
from sciaid.training.models import TrainingEvent
from sciaid.training.statistics import fulfilment_figures

#: A log may record an event that was published, held or reported (not a draft, not a cancelled one); it counts
#: only once the event took place.
LINKABLE = SIGN_IN_STATES | TOOK_PLACE


def register() -> None:
    """Called from the app's `ready`: events may fulfil an agreement or a workstation's duty."""
    register_fulfillable(Agreement)
    register_fulfillable(Workstation)


def agreements_of(expert: Expert | None) -> models.QuerySet:
    """The agreements a commissioner is party to: their own pairing's and those of the teams they belong to."""
    if expert is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(Q(expert=expert) | Q(team__members__expert=expert))


def linkable_events(user, expert: Expert | None) -> models.QuerySet:
    """The events `user` may see that fulfil one of the commissioner's agreements and may be recorded by a log."""
    return TrainingEvent.objects.for_user(user, VIEW).filter(
        fulfils_type=ContentType.objects.get_for_model(Agreement),
        fulfils_id__in=agreements_of(expert).values("pk"),
        status__in=LINKABLE,
    )


def check_training_event(user, log: ServiceLog) -> None:
    """A log records an event only if it is a training log, of one of the event's days, and the event (one the
    acting user may see) fulfils one of the log's commissioner's agreements."""
    event = log.training_event
    if event is None:
        return
    if log.kind != ServiceKind.TRAINING:
        raise ValidationError({"training_event": _("Only a training log can record a training event.")})
    if not linkable_events(user, log.expert).filter(pk=event.pk).exists():
        raise ValidationError(
            {"training_event": _("Choose a training event that fulfils one of the commissioner's agreements.")}
        )
    if not event.starts_on <= log.served_on <= event.ends_on:
        raise ValidationError(
            {
                "served_on": _("The date must be one of the training's days (%(first)s to %(last)s).")
                % {"first": f"{event.starts_on:%Y-%m-%d}", "last": f"{event.ends_on:%Y-%m-%d}"}
            }
        )


def area_event_figures(area: Area, year: int, level: int) -> dict[str, dict[str, int]]:
    """{code prefix of the township (or county) at `level`: {"trainings", "trainees"}} of the events that took
    place fulfilling the agreements of the area's villages for the year. Three queries, whatever the area."""
    agreements = Agreement.objects.filter(village__code__range=area.subtree_bounds, year=year)
    villages = dict(fulfilled(agreements).values_list("pk", "village__code"))
    sums: dict[str, dict[str, int]] = defaultdict(lambda: {"trainings": 0, "trainees": 0})
    for pk, figures in fulfilment_figures(Agreement, villages).items():
        group = sums[villages[pk][: CODE_DIGITS[level]]]
        group["trainings"] += figures["events"]
        group["trainees"] += figures["trainees"]
    return dict(sums)
