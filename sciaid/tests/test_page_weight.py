"""The page-weight guard that the demo walk (`test_demo_links`) applies to every menu page catches what it must."""

import pytest

from sciaid.tests.page_weight import MAX_HTML_KB, page_problems


@pytest.mark.parametrize(
    ("html", "address"),
    [
        ('<script src="https://cdn.example.com/htmx.js"></script>', "https://cdn.example.com/htmx.js"),
        ("<link href='//fonts.example.com/css' rel=stylesheet>", "//fonts.example.com/css"),
        ('<div style="background: url(https://img.example.com/a.png)"></div>', "https://img.example.com/a.png"),
        ('<form action="http://other.example.org/submit"></form>', "http://other.example.org/submit"),
    ],
)
def test_an_address_on_another_host_is_reported(html, address):
    assert page_problems("/x/", html) == [f"/x/: external address {address}"]


def test_addresses_on_this_site_are_fine():
    html = '<script src="/static/js/field.js"></script><a href="/demands/?page=2">2</a>'
    assert page_problems("/x/", html) == []


def test_a_page_over_the_bound_is_reported():
    html = "<p>" + "字" * (MAX_HTML_KB * 1024 // 3 + 10) + "</p>"
    assert page_problems("/x/", html) == [f"/x/: {MAX_HTML_KB:.0f} KB of HTML (> {MAX_HTML_KB} KB)"]


def test_charts_library_without_a_chart_is_reported():
    html = '<script src="/static/vendor/echarts-6.1.0.simple.min.js"></script>'
    assert page_problems("/x/", html) == ["/x/: loads ECharts but draws no chart"]
    assert page_problems("/x/", html + '<div data-bar-chart="{}"></div>') == []
