"""Every demo login walks its whole menu on a 360 px phone: each item opens a page of the site (no refusal, no
missing page), and a page the role may not open is refused in the site's own layout and language, with a way home.
"""

import pytest
from django.core.management import call_command

from sciaid.demo.builders import DEMO_LOGINS, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def menu_links(phone) -> list[tuple[str, str]]:
    phone.page.click("details.menu summary")
    links = phone.page.locator("details.menu nav a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def test_every_demo_login_opens_every_item_of_its_menu(phone):
    call_command("seed_demo", verbosity=0)
    refused = []
    for login in DEMO_LOGINS:
        phone.page.context.clear_cookies()
        phone.log_in(login.username, PASSWORD)
        items = menu_links(phone)
        assert items, f"{login.username} has an empty menu"
        for label, href in items:
            response = phone.open(href)
            if response.status != 200:
                refused.append(f"{login.username}: {label} {href} → {response.status}")
            phone.screenshot(f"{login.username}-{href.strip('/').replace('/', '-') or 'home'}")
    assert not refused, "\n".join(refused)
    assert phone.foreign_requests == []


def test_a_refused_page_keeps_the_layout_and_leads_home(phone):
    call_command("seed_demo", verbosity=0)
    phone.log_in("expert", PASSWORD)
    response = phone.open("/demands/queue/")
    assert response.status == 403
    page = phone.page
    assert page.get_attribute("html", "lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "无权访问"
    assert page.locator("details.menu summary").is_visible(), "the menu stays on the refusal page"
    assert phone.overflow() <= 0
    phone.screenshot("refused")
    phone.follow("text=返回首页")
    assert page.url.rstrip("/") == phone.base_url

    response = phone.open("/en/commissioners/agreements/999999/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    phone.screenshot("missing")
