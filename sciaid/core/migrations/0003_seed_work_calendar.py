"""Seed the work calendar with the statutory holidays and make-up working days the chinesecalendar package knows."""

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2019, 2026


def seed(apps, schema_editor):
    from sciaid.core.calendar import package_days

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day.date, is_workday=day.is_workday, name=day.name)
            for day in package_days(FIRST_YEAR, LAST_YEAR)
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(date__year__range=(FIRST_YEAR, LAST_YEAR)).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_work_calendar_notifications")]

    operations = [migrations.RunPython(seed, unseed)]
