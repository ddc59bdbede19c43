"""A commissioner records a service on a 360 px phone in the field; the county confirms it.

On every page: nothing scrolls sideways and nothing is loaded from another host.
"""

from datetime import date

import pytest

from sciaid.commissioners.logs.choices import LogStatus
from sciaid.commissioners.models import ServiceLog
from sciaid.experts import services as experts
from sciaid.experts.models import Expert, Specialty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_fits(phone, where: str) -> None:
    phone.screenshot(where)
    assert phone.overflow() <= 0, f"{where}: the page is {phone.overflow()} px wider than a 360 px phone"
    assert phone.foreign_requests == [], f"{where}: requests to other hosts: {phone.foreign_requests}"


def test_a_commissioner_logs_a_service_on_a_phone_and_the_county_confirms_it(world, phone):
    commissioner = Expert.objects.create(
        user=world.expert, name="李明华", organisation="安徽农业大学", home_area=world.county_a, is_commissioner=True
    )
    commissioner.specialties.add(Specialty.objects.get(code="river-crabs"))
    experts.pair_commissioner(world.county_admin, commissioner, world.village_a1, date.today().year)
    page = phone.page

    phone.log_in("expert")
    phone.follow("form.lang button[name=language][value=en]")
    page.click("details.menu summary")
    phone.follow('details.menu a[href$="/commissioners/logs/"]')
    assert_fits(phone, "my-log")
    phone.follow("#record-service")
    assert_fits(phone, "form")

    page.select_option("select[name=village]", world.village_a1.code)
    page.select_option("select[name=kind]", "training")
    page.fill("textarea[name=summary]", "稻虾共作技术培训，讲解水草种植与投喂")
    page.fill("input[name=participants]", "32")
    page.select_option("select[name=households]", [str(world.household_a1.pk)])
    page.fill("input[name=other_households]", "2")
    page.fill("textarea[name=varieties]", "荃优822")
    phone.follow("#save-log")
    assert "Awaiting confirmation" in page.locator("#log-status").inner_text()
    assert_fits(phone, "logged")
    log = ServiceLog.objects.get()
    assert (log.participants, log.new_varieties, list(log.households.all())) == (32, 1, [world.household_a1])

    page.context.clear_cookies()
    phone.log_in("county_admin")
    phone.follow("form.lang button[name=language][value=en]")
    phone.open(f"/en{log.get_absolute_url()}")
    assert_fits(phone, "to-confirm")
    phone.follow("#confirm-log")
    assert "Confirmed" in page.locator("#log-status").inner_text()
    log.refresh_from_db()
    assert log.status == LogStatus.CONFIRMED and log.confirmed_by == world.county_admin
