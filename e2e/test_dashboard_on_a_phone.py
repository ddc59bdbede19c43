"""The dashboard on a 360 px phone: the platform admin opens it from the menu, the province's charts are drawn
(one canvas per chart, ECharts served by the platform), nothing scrolls sideways, nothing comes from another host."""

import pytest

from sciaid.reports.services import refresh_indicators
from sciaid.reports.views.tables import SECTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_platform_admin_reads_the_province_dashboard_on_a_phone(world, phone):
    refresh_indicators(2020)
    page = phone.page
    phone.log_in("admin")
    page.click("details.menu summary")
    phone.follow('details.menu a[href$="/reports/"]')
    phone.page.select_option("select[name=area]", world.province.code)
    page.fill("input[name=year]", "2020")
    phone.follow("form.filters button[type=submit]")
    page.wait_for_selector("#trend .chart canvas")
    # Every section, the ranking and the trend: a chart drawn above its table.
    assert page.locator(".chart canvas").count() == len(SECTIONS) + 2
    assert page.locator("#ranking tbody tr").count() == 2
    phone.screenshot("province")
    assert phone.overflow() <= 0, f"the page is {phone.overflow()} px wider than a 360 px phone"
    assert phone.foreign_requests == []
