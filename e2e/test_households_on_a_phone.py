"""A county admin corrects a household's phone number on a 360 px phone, in Chinese and in English.

What is checked on every page: nothing scrolls sideways, and nothing is loaded from another host (county intranets
often have no internet).
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from sciaid.regions.models import Household

# Live-server tests flush the database afterwards; serialized rollback brings back the data migrations seed
# (the specialty tree, the work calendar) for whichever test runs next.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_ERROR = "A mobile phone number has 11 digits and starts with 13–19."
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_fits(phone, where: str) -> None:
    phone.screenshot(where)
    assert phone.overflow() <= 0, f"{where}: the page is {phone.overflow()} px wider than a 360 px phone"
    assert phone.foreign_requests == [], f"{where}: requests to other hosts: {phone.foreign_requests}"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_county_admin_finds_a_village_by_pinyin_and_fixes_a_households_phone(world, phone, language):
    page = phone.page
    household = world.household_a1
    phone.log_in("county_admin")
    if language == "en":
        phone.follow("form.lang button[name=language][value=en]")
    assert page.get_attribute("html", "lang") == language
    assert_fits(phone, "home")

    # The menu leads to the village list; the initials of 姚祠村 find it.
    page.click("details.menu summary")
    phone.follow('details.menu a[href$="/regions/areas/"]')
    page.fill("form.filters input[name=q]", "ycc")
    phone.follow("form.filters button[type=submit]")
    villages = page.locator("table.stack tbody a").all_inner_texts()
    assert villages == ["姚祠村"]
    assert_fits(phone, "village-list")

    phone.follow("table.stack a:text-is('姚祠村')")
    assert "户主1" in page.locator("table.stack").inner_text()
    assert "户主2" not in page.content()  # 新桥村's household
    assert_fits(phone, "village")

    phone.follow(f"table.stack a:text-is('{household.number}')")
    phone.follow(f'a[href$="/regions/households/{household.pk}/edit/"]')
    assert_fits(phone, "edit")

    page.fill("input[name=phone]", "1390554")
    phone.follow("form button[type=submit]")
    error = page.locator(".field.has-error .error").inner_text()
    with translation.override(language):
        assert error == gettext(PHONE_ERROR)
    assert bool(CHINESE.search(error)) == (language == "zh-hans")
    assert Household.objects.get(pk=household.pk).phone == household.phone
    assert_fits(phone, "phone-error")

    page.fill("input[name=phone]", "13905549999")
    phone.follow("form button[type=submit]")
    assert page.url.endswith(f"/regions/households/{household.pk}/")
    assert "13905549999" in page.locator("dl.facts").inner_text()
    assert Household.objects.get(pk=household.pk).phone == "13905549999"
    assert_fits(phone, "saved")


def test_another_countys_admin_cannot_open_a_household_of_county_a(world, phone):
    household = world.household_a1
    phone.log_in("county_admin_b")

    for path in (f"/regions/households/{household.pk}/", f"/regions/households/{household.pk}/edit/"):
        response = phone.open(path)
        assert response.status == 404, path
        assert household.head_name not in phone.page.content()
    assert_fits(phone, "not-found")
