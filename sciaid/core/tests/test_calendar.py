"""The work calendar: 24 working hours per working day, none on rest days, holidays and make-up days as data."""

from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciaid.core.calendar import WorkCalendar, load_work_calendar, package_days
from sciaid.core.models import CalendarDay

pytestmark = pytest.mark.django_db


def at(*args) -> datetime:
    """A local (Asia/Shanghai) time."""
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def cal():
    return WorkCalendar(date(2019, 1, 1), date(2026, 12, 31))


# --- days -------------------------------------------------------------------------------------------------------


def test_the_migration_seeds_national_day_2020_from_the_package():
    off = set(CalendarDay.objects.filter(is_workday=False, date__year=2020).values_list("date", flat=True))
    assert {date(2020, 10, d) for d in range(1, 9)} <= off
    names = dict(
        CalendarDay.objects.filter(date__in=[date(2020, 10, 1), date(2020, 9, 27)]).values_list("date", "name")
    )
    assert names == {date(2020, 10, 1): "国庆节", date(2020, 9, 27): "国庆节调休上班"}


def test_national_day_2020_is_off_and_its_make_up_weekend_days_are_worked(cal):
    assert [cal.is_workday(date(2020, 10, d)) for d in range(1, 11)] == [False] * 8 + [True, True]
    assert cal.is_workday(date(2020, 9, 27))  # a Sunday
    assert cal.is_workday(date(2020, 10, 10))  # a Saturday
    assert not cal.is_workday(date(2020, 10, 11))  # an ordinary Sunday


def test_an_operator_can_add_a_year_the_package_does_not_know():
    CalendarDay.objects.create(date=date(2031, 5, 5), is_workday=False, name="劳动节")  # a Monday
    CalendarDay.objects.create(date=date(2031, 5, 10), is_workday=True, name="劳动节调休上班")  # a Saturday
    cal = WorkCalendar(date(2031, 1, 1))
    assert not cal.is_workday(date(2031, 5, 5))
    assert cal.is_workday(date(2031, 5, 10))
    assert cal.is_workday(date(2031, 5, 6))


# --- working time -----------------------------------------------------------------------------------------------


def test_the_clock_stops_over_a_weekend(cal):
    friday = at(2024, 3, 8, 10)
    assert cal.add_work_hours(friday, 24) == at(2024, 3, 11, 10)
    assert cal.work_hours_between(friday, at(2024, 3, 11, 10)) == 24
    assert cal.work_hours_between(friday, at(2024, 3, 10, 18)) == 14  # Saturday and Sunday count nothing


def test_the_clock_stops_over_national_day_2020(cal):
    assert cal.add_work_hours(at(2020, 9, 30, 10), 24) == at(2020, 10, 9, 10)
    # Friday 9 October is followed by the make-up Saturday.
    assert cal.add_work_hours(at(2020, 10, 9, 10), 24) == at(2020, 10, 10, 10)
    # A demand sent on Saturday 26 September starts counting on the make-up Sunday.
    assert cal.add_work_hours(at(2020, 9, 26, 10), 1) == at(2020, 9, 27, 1)
    assert cal.work_hours_between(at(2020, 9, 30, 0), at(2020, 10, 10, 0)) == 48


def test_the_clock_stops_over_the_spring_festival_2024(cal):
    # 10–17 February off; Sunday 4 and Sunday 18 February worked.
    assert cal.add_work_hours(at(2024, 2, 9, 12), 24) == at(2024, 2, 18, 12)
    assert cal.work_hours_between(at(2024, 2, 3, 0), at(2024, 2, 5, 0)) == 24
    assert cal.work_hours_between(at(2024, 2, 9, 0), at(2024, 2, 19, 0)) == 48


def test_a_clock_running_out_at_the_end_of_a_working_day_points_at_the_next_working_day(cal):
    assert cal.add_work_hours(at(2024, 3, 8, 10), 14) == at(2024, 3, 11, 0)
    assert cal.add_work_hours(at(2024, 3, 9, 10), 0) == at(2024, 3, 9, 10)


def test_a_deadline_adds_the_paused_working_hours(cal):
    start = at(2024, 3, 7, 9)
    assert cal.deadline(start, 24) == at(2024, 3, 8, 9)
    assert cal.deadline(start, 24, paused_hours=cal.work_hours_between(at(2024, 3, 7, 12), at(2024, 3, 7, 20))) == at(
        2024, 3, 8, 17
    )


def test_it_refuses_naive_times_and_negative_hours(cal):
    with pytest.raises(ValueError):
        cal.add_work_hours(datetime(2024, 3, 8, 10), 1)
    with pytest.raises(ValueError):
        cal.add_work_hours(at(2024, 3, 8, 10), -1)


def test_it_reads_the_calendar_once_per_year_never_per_day(django_assert_num_queries):
    with django_assert_num_queries(1):
        cal = WorkCalendar(date(2024, 1, 1), date(2024, 12, 31))
        for day in range(1, 29):
            cal.add_work_hours(at(2024, 2, day, 10), 100)
    with django_assert_num_queries(1):  # a year outside the range is loaded once, when first needed
        cal.add_work_hours(at(2024, 12, 20), 24 * 30)
        cal.work_hours_between(at(2024, 12, 20), at(2025, 2, 1))
    with django_assert_num_queries(1):  # and so is an earlier one
        assert cal.work_hours_between(at(2023, 12, 29, 12), at(2024, 1, 2, 12)) == 24  # New Year's Day is off


# --- properties -------------------------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2026, 6, 30)).map(timezone.make_aware)
hours = st.floats(min_value=0, max_value=2000, allow_nan=False)
check = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@check
@given(start=moments, h=hours)
def test_adding_hours_then_measuring_gives_the_hours_back(cal, start, h):
    assert cal.work_hours_between(start, cal.add_work_hours(start, h)) == pytest.approx(h, abs=1e-6)


@check
@given(start=moments, h1=hours, h2=hours)
def test_more_hours_never_end_earlier(cal, start, h1, h2):
    low, high = sorted((h1, h2))
    assert start <= cal.add_work_hours(start, low) <= cal.add_work_hours(start, high)


@check
@given(a=moments, b=moments, c=moments)
def test_working_time_adds_up_and_grows_with_time(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    # Hours are floats summed over different day splits: compare up to a microsecond's worth of rounding.
    tolerance = 1e-9
    assert 0 <= cal.work_hours_between(a, b) <= cal.work_hours_between(a, c) + tolerance
    assert cal.work_hours_between(a, c) == pytest.approx(cal.work_hours_between(a, b) + cal.work_hours_between(b, c))
    assert cal.work_hours_between(a, b) <= (b - a).total_seconds() / 3600 + tolerance
    assert cal.work_hours_between(b, a) == -cal.work_hours_between(a, b)


@check
@given(start=moments, h=hours.filter(lambda h: h > 0))
def test_a_deadline_never_falls_on_a_rest_day(cal, start, h):
    assert cal.is_workday(timezone.localdate(cal.deadline(start, h)))


# --- loading ----------------------------------------------------------------------------------------------------


def test_loading_again_changes_nothing_and_keeps_an_operators_correction():
    assert load_work_calendar(2019, 2026) == (0, 0)  # the migration loaded them already
    CalendarDay.objects.filter(date=date(2020, 10, 8)).update(is_workday=True, name="corrected")
    assert load_work_calendar(2020, 2020) == (0, 0)
    assert CalendarDay.objects.get(date=date(2020, 10, 8)).name == "corrected"
    assert load_work_calendar(2020, 2020, replace=True) == (0, 1)
    assert CalendarDay.objects.get(date=date(2020, 10, 8)).is_workday is False


def test_the_command_fills_missing_days_and_is_idempotent(capsys):
    CalendarDay.objects.filter(date__year=2021).delete()
    expected = len(package_days(2021, 2021))
    call_command("load_work_calendar", "--from", "2021", "--to", "2021")
    assert f"{expected} days added" in capsys.readouterr().out
    call_command("load_work_calendar", "--from", "2019", "--to", "2026")
    assert "0 days added" in capsys.readouterr().out
    assert CalendarDay.objects.filter(date__year=2021).count() == expected
    with pytest.raises(CommandError):
        call_command("load_work_calendar", "--from", "2026", "--to", "2019")


def test_package_days_lists_make_up_days_only_on_weekends():
    days = package_days(2019, 2026)
    assert all(day.date.weekday() >= 5 for day in days if day.is_workday)
    assert date(2026, 10, 1) in {day.date for day in days}
