"""Dates of events a clerk records after they happened (a county entering its paper records of the year).

A recorded date is bounded so that the books and the statistics stay believable: never in the future, never before
the earliest date its record allows (the start of the budget's year, the previous step of the same record). The
entry itself keeps the moment it was typed (`created_at`, the audit entry's time), so both dates are on file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: A lower bound and the message (with `%(day)s`) that refuses a date before it; a None bound does not apply.
Floor = tuple[date | None, Promise | str]


def past_day(day: date | None, *, field: str, floors: Iterable[Floor] = ()) -> date:
    """`day`, checked against today and every floor; today when it is left out."""
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise ValidationError({field: _("The date cannot be in the future.")})
    for earliest, message in floors:
        if earliest is not None and day < earliest:
            raise ValidationError({field: str(message) % {"day": earliest.isoformat()}})
    return day


def year_start(year: int) -> date:
    return date(year, 1, 1)


def moment_of(day: date | None, *, after: datetime | None = None) -> datetime:
    """The time a step dated `day` is stored at: now for today (or no date), else noon of that day — but never
    before `after`, the previous step's moment, so the steps of one record stay in order on the same day."""
    if day is None or day == timezone.localdate():
        return timezone.now()
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    return max(moment, after) if after is not None else moment


def past_date_field(label: Promise | str) -> forms.DateField:
    """The optional form field of such a date (empty: today); the service checks its bounds."""
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for today; fill in when recording something that happened earlier."),
    )
