"""The work calendar and the one place that decides what "working time" is for every SLA clock.

Working time: the clock runs through whole working days — 24 hours each, midnight to midnight in local time
(settings.TIME_ZONE) — and stops completely on rest days. A working day is Monday to Friday, unless a `CalendarDay`
row says otherwise (a public holiday is a rest day, a make-up day 调休上班 a working day). So "24 working hours"
from Friday 10:00 is Monday 10:00, and from the eve of National Day it is the first working day after it.

Usage, from any app (one `WorkCalendar` per call site, e.g. one for a whole SLA sweep):

    cal = WorkCalendar(date(2024, 1, 1), date(2024, 12, 31))   # one query for the year's exceptions
    due = cal.deadline(demand.submitted_at, hours=24, paused_hours=demand.paused_hours)
    used = cal.work_hours_between(demand.submitted_at, timezone.now())

A date outside the range given is loaded on demand, a whole year per query, and cached on the instance: never a
query per day. Arithmetic is on cumulative working microseconds at each local midnight, so each call is a binary
search, not a walk over days.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.core.audit import record_created, record_updated
from sciaid.core.models import CalendarDay
from sciaid.core.scoping import CHANGE, may_act_on_some
from sciaid.core.services import service

MICROSECONDS_PER_HOUR = 3_600_000_000


class PackageDay(NamedTuple):
    """One day that departs from the default week, as the `chinesecalendar` package knows it."""

    date: date
    is_workday: bool
    name: str


def default_is_workday(day: date) -> bool:
    """The rule without exceptions: Monday to Friday work, Saturday and Sunday rest."""
    return day.weekday() < 5


def package_days(first_year: int, last_year: int) -> list[PackageDay]:
    """The statutory holidays and make-up working days of these years from the `chinesecalendar` package.

    Every day of a holiday period is listed (weekend days too, as the official notice does); names are Chinese
    (国庆节, 国庆节调休上班) because they are the notice's own words, shown as data.
    """
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    chinese = {holiday.value: holiday.chinese for holiday in Holiday}
    days = [
        PackageDay(day, False, chinese.get(name, name or ""))
        for day, name in chinese_calendar.holidays.items()
        if first_year <= day.year <= last_year
    ]
    days += [
        PackageDay(day, True, f"{chinese.get(name, name or '')}调休上班")
        for day, name in chinese_calendar.workdays.items()
        if first_year <= day.year <= last_year and not default_is_workday(day)
    ]
    return sorted(days)


class WorkCalendar:
    """Working days and working-time arithmetic over a range of dates, with the exceptions read once.

    `first` and `last` say which dates to load up front (one query); anything outside is loaded when first needed.
    All datetimes must be timezone-aware; day boundaries are local midnights in `tz` (default: settings.TIME_ZONE).
    """

    def __init__(self, first: date | None = None, last: date | None = None, *, tz=None) -> None:
        self.tz = tz or timezone.get_default_timezone()
        today = timezone.localdate(timezone=self.tz)
        first = first or today
        last = max(last or first, first)
        self._first = date(first.year, 1, 1)
        self._days: list[bool] = []  # is_workday of each day from self._first
        self._midnights: list[datetime] = []  # local midnight starting each day, and the one after the last
        self._cum: list[int] = [0]  # working microseconds from self._first's midnight to each midnight
        self._load(self._first, date(last.year, 12, 31))

    # --- days -----------------------------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        return self._days[self._index(day)]

    def _index(self, day: date) -> int:
        """The position of `day`, loading whole years before or after the loaded range as needed."""
        if day < self._first:
            self._load(date(day.year, 1, 1), self._first - timedelta(days=1), prepend=True)
        last = self._first + timedelta(days=len(self._days) - 1)
        if day > last:
            self._load(last + timedelta(days=1), date(day.year, 12, 31))
        return (day - self._first).days

    def _load(self, first: date, last: date, prepend: bool = False) -> None:
        exceptions = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_workday"))
        count = (last - first).days + 1
        days = [exceptions.get(d, default_is_workday(d)) for d in (first + timedelta(days=i) for i in range(count))]
        if prepend:
            self._first = first
            self._days = days + self._days
        else:
            self._days += days
        self._midnights = [self._midnight(self._first + timedelta(days=i)) for i in range(len(self._days) + 1)]
        cum = [0]
        for i, working in enumerate(self._days):
            length = self._micro(self._midnights[i + 1] - self._midnights[i]) if working else 0
            cum.append(cum[-1] + length)
        self._cum = cum

    def _midnight(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min), self.tz)

    @staticmethod
    def _micro(delta: timedelta) -> int:
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds

    # --- working time ---------------------------------------------------------------------------------------------

    def _clock(self, moment: datetime) -> int:
        """Working microseconds from the loaded range's first midnight to `moment`."""
        if timezone.is_naive(moment):
            raise ValueError("working time needs timezone-aware datetimes")
        i = self._index(timezone.localtime(moment, self.tz).date())
        into_day = self._micro(moment - self._midnights[i]) if self._days[i] else 0
        return self._cum[i] + into_day

    def work_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end`; negative when `end` comes first."""
        # Both positions are taken after loading both dates, because loading earlier years shifts the origin.
        self._index(timezone.localtime(min(start, end), self.tz).date())
        self._index(timezone.localtime(max(start, end), self.tz).date())
        return (self._clock(end) - self._clock(start)) / MICROSECONDS_PER_HOUR

    def add_work_hours(self, start: datetime, hours: float) -> datetime:
        """The moment at which `hours` of working time have run from `start`.

        With hours > 0 the result is always inside a working day: a clock that runs out exactly at the end of a
        working day followed by rest days gives the start of the next working day, never the rest day's midnight.
        With hours == 0 it is `start` itself, whatever day that is.
        """
        if hours < 0:
            raise ValueError("working hours cannot be negative")
        if hours == 0:
            return start
        target = self._clock(start) + round(hours * MICROSECONDS_PER_HOUR)
        while True:
            # The first midnight whose clock reading passes the target ends the working day the target falls in.
            after = bisect_right(self._cum, target)
            if after < len(self._cum):
                day = after - 1
                return self._midnights[day] + timedelta(microseconds=target - self._cum[day])
            last = self._first + timedelta(days=len(self._days) - 1)
            self._index(date(last.year + 1, 12, 31))

    def deadline(self, start: datetime, hours: float, paused_hours: float = 0) -> datetime:
        """When an SLA of `hours` working hours started at `start` runs out, after `paused_hours` of pause.

        `paused_hours` is working time during which the clock was stopped (a demand waiting for the farmer); measure
        each pause with `work_hours_between(paused_at, resumed_at)` and add them up.
        """
        return self.add_work_hours(start, hours + paused_hours)


def load_work_calendar(first_year: int, last_year: int, *, replace: bool = False) -> tuple[int, int]:
    """Copy the package's days of these years into `CalendarDay`; (created, updated). Safe to run again.

    Days already in the table are kept as they are (an operator may have corrected them) unless `replace`, which
    makes them match the package. Every row written is audited.
    """
    wanted = package_days(first_year, last_year)
    with transaction.atomic():
        existing = {day.date: day for day in CalendarDay.objects.filter(date__in=[d.date for d in wanted])}
        new = [CalendarDay(date=d.date, is_workday=d.is_workday, name=d.name) for d in wanted if d.date not in existing]
        CalendarDay.objects.bulk_create(new)
        record_created(new, note="chinesecalendar")
        changed = []
        if replace:
            for d in wanted:
                row = existing.get(d.date)
                if row is not None and (row.is_workday, row.name) != (d.is_workday, d.name):
                    before = row.audit_values()
                    row.is_workday, row.name = d.is_workday, d.name
                    changed.append((before, row))
            CalendarDay.objects.bulk_update([row for _, row in changed], ["is_workday", "name"])
            record_updated(changed, note="chinesecalendar")
    return len(new), len(changed)


# --- keeping the calendar: platform admins enter next year's days as soon as the State Council announces them --------


def _require_keeper(user) -> None:
    if not may_act_on_some(user, CalendarDay, CHANGE):
        raise PermissionDenied(_("Only platform administrators keep the work calendar."))


@service
def save_calendar_day(
    user, *, instance: CalendarDay | None = None, day: date, is_workday: bool, name: str = ""
) -> CalendarDay:
    """Enter or correct one public holiday or make-up working day (audited with the save).

    A make-up working day on Monday to Friday would change nothing, so it is refused as the mistake it must be; a
    holiday on a weekend is kept, because the official notice lists every day of a holiday period.
    """
    _require_keeper(user)
    if is_workday and default_is_workday(day):
        raise ValidationError(
            {"is_workday": _("Monday to Friday are working days anyway; a make-up working day falls on a weekend.")}
        )
    taken = CalendarDay.objects.filter(date=day).exclude(pk=instance.pk if instance else None).exists()
    if taken:
        raise ValidationError({"date": _("This date is already in the calendar; change that entry instead.")})
    row = instance or CalendarDay()
    row.date, row.is_workday, row.name = day, is_workday, name.strip()
    row.full_clean()
    row.save()
    return row


@service
def delete_calendar_day(user, day: CalendarDay) -> None:
    """Remove an exception: the date follows the default week again (audited with the delete)."""
    _require_keeper(user)
    day.delete()


@service
def fill_calendar_year(user, year: int) -> int:
    """Add the package's days of `year` that the calendar lacks, keeping every entry already made; how many."""
    _require_keeper(user)
    if not package_days(year, year):
        raise ValidationError(
            _("The chinesecalendar package knows no days of %(year)d yet; enter them by hand.") % {"year": year}
        )
    added, _changed = load_work_calendar(year, year)
    return added


__all__ = [
    "WorkCalendar",
    "default_is_workday",
    "delete_calendar_day",
    "fill_calendar_year",
    "load_work_calendar",
    "package_days",
    "save_calendar_day",
]
