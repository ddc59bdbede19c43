"""When a demand's step happened: now, or the day a clerk says it happened when entering earlier records.

Bounds (see `sciaid.core.backdating`): not in the future; a submission not before the start of last year (a county
enters at most last year's paper records, never older); every later step not before the demand's previous step. A
back-dated step is stored at noon of its day (never before the previous step), so statistics and subsidies count it
in the period it happened; the audit entry keeps both that moment and the time it was entered. SLA deadlines always
run from the entry, so a past step never escalates the demand at once.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.core.backdating import moment_of, past_day, year_start

FIELD = "occurred_on"


def submitted_moment(occurred_on: date | None) -> datetime:
    """The moment of a submission dated `occurred_on` (now when left out)."""
    earliest = year_start(timezone.localdate().year - 1)
    floor = _("A demand can be recorded back to %(day)s at the earliest (the start of last year).")
    return moment_of(past_day(occurred_on, field=FIELD, floors=[(earliest, floor)]))


def step_moment(occurred_on: date | None, previous: datetime | None) -> datetime:
    """The moment of a step dated `occurred_on`, after `previous` (the moment of the demand's step before it)."""
    earliest = timezone.localdate(previous) if previous is not None else None
    floor = _("This step cannot be dated before the demand's previous step (%(day)s).")
    return moment_of(past_day(occurred_on, field=FIELD, floors=[(earliest, floor)]), after=previous)
