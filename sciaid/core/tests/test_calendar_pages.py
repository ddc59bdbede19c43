"""The work calendar's pages: platform admins keep it (add, correct, delete, fill from the package, all audited and
effective on the next SLA computation); county admins read it; every other role is refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciaid.core.calendar import WorkCalendar, save_calendar_day
from sciaid.core.models import CalendarDay, ObjectChange

#: 2027 is past the chinesecalendar package's last year: the days an operator has to enter by hand.
NEW_YEAR_2027 = date(2027, 1, 1)
MAKE_UP_SATURDAY_2027 = date(2027, 2, 6)


def calendar_page(client, year: int):
    return client.get(reverse("core:calendar"), {"year": year})


# --- who may open what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "county_admin"])
def test_managers_read_the_calendar(world, client_for, persona):
    page = calendar_page(client_for(persona), 2020)

    assert page.status_code == 200
    assert "国庆节调休上班" in page.content.decode() and "2020-10-01" in page.content.decode()


@pytest.mark.parametrize(
    "persona", ["triage", "supervisor", "info_officer", "expert", "farmer", "applicant", "reviewer", "outsider"]
)
def test_other_roles_are_refused_the_calendar(world, client_for, persona):
    assert calendar_page(client_for(persona), 2020).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    assert calendar_page(client, 2020).status_code == 302


def test_a_county_admin_sees_no_edit_links_and_may_not_post(world, client_for):
    client = client_for("county_admin")
    day = CalendarDay.objects.get(date=date(2020, 10, 1))

    page = calendar_page(client, 2020).content.decode()

    for name, args in [("core:calendar-day-create", []), ("core:calendar-day-edit", [day.pk])]:
        assert reverse(name, args=args) not in page
    assert reverse("core:calendar-fill") not in page
    assert client.get(reverse("core:calendar-day-create")).status_code == 403
    post = {"date": "2027-01-01", "kind": "rest", "name": "元旦"}
    assert client.post(reverse("core:calendar-day-create"), post).status_code == 403
    assert client.post(reverse("core:calendar-day-delete", args=[day.pk])).status_code == 403
    assert client.post(reverse("core:calendar-fill"), {"year": 2020}).status_code == 403
    assert not CalendarDay.objects.filter(date=NEW_YEAR_2027).exists()
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_the_admin_sees_the_edit_links(world, client_for):
    day = CalendarDay.objects.get(date=date(2020, 10, 1))

    page = calendar_page(client_for("admin"), 2020).content.decode()

    for name, args in [
        ("core:calendar-day-create", []),
        ("core:calendar-day-edit", [day.pk]),
        ("core:calendar-day-delete", [day.pk]),
        ("core:calendar-fill", []),
    ]:
        assert reverse(name, args=args) in page


# --- keeping the calendar -------------------------------------------------------------------------------------------


def test_the_admin_adds_next_years_days_and_the_sla_clock_uses_them(world, client_for):
    client = client_for("admin")
    assert WorkCalendar(NEW_YEAR_2027).is_workday(NEW_YEAR_2027)

    for day, kind, name in [(NEW_YEAR_2027, "rest", "元旦"), (MAKE_UP_SATURDAY_2027, "work", "春节调休上班")]:
        response = client.post(
            reverse("core:calendar-day-create"), {"date": day.isoformat(), "kind": kind, "name": name}
        )
        assert response.status_code == 302 and response.url == reverse("core:calendar") + "?year=2027"

    calendar = WorkCalendar(NEW_YEAR_2027)
    assert not calendar.is_workday(NEW_YEAR_2027) and calendar.is_workday(MAKE_UP_SATURDAY_2027)
    entry = ObjectChange.objects.get(
        content_type__model="calendarday", object_id=str(CalendarDay.objects.get(date=NEW_YEAR_2027).pk)
    )
    assert (entry.action, entry.user, entry.after["name"]) == ("create", world.admin, "元旦")
    page = calendar_page(client, 2027).content.decode()
    assert "元旦" in page and "春节调休上班" in page


def test_the_admin_corrects_a_day_and_the_change_is_audited(world, client_for):
    day = CalendarDay.objects.get(date=date(2020, 10, 1))
    client = client_for("admin")

    form = client.get(reverse("core:calendar-day-edit", args=[day.pk])).content.decode()
    response = client.post(
        reverse("core:calendar-day-edit", args=[day.pk]),
        {"date": "2020-10-01", "kind": "rest", "name": "国庆节、中秋节"},
    )

    assert 'value="2020-10-01"' in form
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.name == "国庆节、中秋节"
    change = ObjectChange.objects.filter(object_id=str(day.pk), action="update").get()
    assert (change.user, change.before, change.after) == (world.admin, {"name": "国庆节"}, {"name": "国庆节、中秋节"})


def test_the_admin_deletes_a_day_after_confirming(world, client_for):
    day = CalendarDay.objects.get(date=date(2020, 9, 27))
    client = client_for("admin")

    confirm = client.get(reverse("core:calendar-day-delete", args=[day.pk]))
    response = client.post(reverse("core:calendar-day-delete", args=[day.pk]))

    assert "2020-09-27" in confirm.content.decode()
    assert response.url == reverse("core:calendar") + "?year=2020"
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert not WorkCalendar(date(2020, 9, 27)).is_workday(date(2020, 9, 27))  # a Sunday again
    assert ObjectChange.objects.filter(object_id=str(day.pk), action="delete", user=world.admin).exists()


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"date": "2020-10-01", "kind": "rest", "name": "重复"}, "date", "already in the calendar"),
        ({"date": "2027-01-04", "kind": "work", "name": "周一"}, None, "Monday to Friday"),
        ({"date": "", "kind": "rest", "name": ""}, "date", "required"),
    ],
)
def test_a_wrong_day_is_explained_and_nothing_is_written(world, client_for, post, field, message):
    before = CalendarDay.objects.count(), ObjectChange.objects.count()

    response = client_for("admin").post("/en" + reverse("core:calendar-day-create"), post)

    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__")
    assert errors and message in " ".join(errors)
    assert (CalendarDay.objects.count(), ObjectChange.objects.count()) == before


def test_the_admin_fills_a_year_from_the_package_keeping_corrections(world, client_for):
    CalendarDay.objects.filter(date__year=2021).exclude(date=date(2021, 10, 1)).delete()
    CalendarDay.objects.filter(date=date(2021, 10, 1)).update(name="改过的")
    client = client_for("admin")

    response = client.post("/en" + reverse("core:calendar-fill"), {"year": 2021}, follow=True)

    assert CalendarDay.objects.get(date=date(2021, 10, 1)).name == "改过的"
    assert CalendarDay.objects.filter(date__year=2021).count() > 20
    assert "days of 2021 added from the chinesecalendar package" in response.content.decode()


def test_filling_a_year_the_package_does_not_know_says_so(world, client_for):
    response = client_for("admin").post("/en" + reverse("core:calendar-fill"), {"year": 2031}, follow=True)

    assert "knows no days of 2031" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2031).exists()


def test_the_service_refuses_anyone_but_a_platform_admin(world):
    with pytest.raises(PermissionDenied):
        save_calendar_day(world.county_admin, day=NEW_YEAR_2027, is_workday=False, name="元旦")
    with pytest.raises(ValidationError):
        save_calendar_day(world.admin, day=date(2027, 1, 4), is_workday=True)
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_the_list_shows_one_year_and_offers_next_year(world, client_for):
    page = calendar_page(client_for("county_admin"), 2020)

    assert {day.date.year for day in page.context["object_list"]} == {2020}
    assert "2021-01-01" not in page.content.decode()
    assert {2020, 2026} <= set(page.context["years"])


@pytest.mark.parametrize(("persona", "shown"), [("admin", True), ("county_admin", True), ("triage", False)])
def test_the_menu_offers_the_calendar_to_those_who_may_open_it(world, client_for, persona, shown):
    page = client_for(persona).get(reverse("home")).content.decode()

    assert (f'href="{reverse("core:calendar")}"' in page) == shown
