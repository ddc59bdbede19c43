"""An info officer signs trainees in on a 360 px phone: from the training's page (where its QR code is) to the
sign-in list, ticking names without reloading the page (htmx), adding a walk-in; after the county reports the
training, the list says the attendance is closed.

On every page: nothing scrolls sideways and nothing is loaded from another host.
"""

from datetime import date

import pytest

from sciaid.training import services
from sciaid.training.choices import ParticipantKind, TrainingKind
from sciaid.training.models import Attendance, Registration
from sciaid.training.services import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DAY = date(2020, 5, 22)


def assert_fits(phone, where: str) -> None:
    phone.screenshot(where)
    assert phone.overflow() <= 0, f"{where}: the page is {phone.overflow()} px wider than a 360 px phone"
    assert phone.foreign_requests == [], f"{where}: requests to other hosts: {phone.foreign_requests}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_info_officer_ticks_names_and_adds_a_walk_in_on_a_phone(world, phone, language):
    admin = world.county_admin
    event = services.save_event(
        admin,
        kind=TrainingKind.PRACTICAL,
        title="稻虾共作技术培训",
        organiser_name="寿县科学技术局",
        area=world.village_a1,
        address="姚祠村村委会",
        starts_on=DAY,
        ends_on=DAY,
    )
    services.publish_event(admin, event)
    head, _ = services.register(
        world.info_officer, event, Person(ParticipantKind.HOUSEHOLD, household=world.household_a1)
    )
    services.register(
        world.info_officer,
        event,
        Person(ParticipantKind.GUEST, "王五", phone="13905541234", village=world.village_a1),
    )
    page = phone.page
    prefix = "/en" if language == "en" else ""

    phone.log_in("info_officer")
    phone.open(f"{prefix}/training/{event.pk}/")
    assert page.locator(".qr svg").count() == 1
    assert_fits(phone, "event")
    phone.follow(f'.qr a[href$="/training/{event.pk}/sign-in/"]')
    assert_fits(phone, "sign-in list")
    assert "139****1234" in page.content() and "13905541234" not in page.content()

    url_before = page.url
    page.click(f"#registration-{head.pk} button.tick")
    page.wait_for_selector(f"#registration-{head.pk}.signed")
    assert page.url == url_before, "a tick does not reload the page"
    assert "1" in page.locator("#signin-count").inner_text()
    assert Attendance.objects.filter(registration=head, day=DAY).count() == 1
    assert_fits(phone, "ticked")

    page.click("#walk-in summary")
    page.check("input[name=kind][value=guest]")
    page.fill("#walk-in input[name=name]", "赵六")
    page.fill("#walk-in input[name=phone]", "139 0554 0002")
    page.select_option("#walk-in select[name=village]", world.village_a1.code)
    assert_fits(phone, "walk-in form")
    phone.follow("#add-walk-in")
    walk_in = Registration.objects.get(name="赵六")
    assert walk_in.walk_in and walk_in.attendances.count() == 1
    assert page.locator(f"#registration-{walk_in.pk}.signed").count() == 1
    assert_fits(phone, "walk-in added")

    services.hold_event(admin, event)
    services.report_event(admin, event)
    page.reload()
    assert page.locator("#attendance-closed").is_visible()
    assert page.locator("button.tick").count() == 0
    assert_fits(phone, "closed")
