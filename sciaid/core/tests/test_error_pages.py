"""Refusals and missing pages are shown in the site's layout, in the user's language, with a way back."""

from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error


def test_a_refused_page_is_styled_translated_and_leads_home(world, client_for):
    response = client_for("expert").get(reverse("assistance:triage-queue"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "sciaid.css" in html
    assert "无权打开此页面" in html or "不允许" in html
    assert f'href="{reverse("home")}"' in html
    assert 'aria-label="菜单"' in html or "☰" in html, "the menu stays, so the user can go on"


def test_a_missing_page_is_styled_and_translated_in_english(world, client_for):
    client = client_for("county_admin")
    response = client.get("/en/regions/areas/999999999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "sciaid.css" in html
    assert 'href="/en/"' in html


def test_a_missing_page_for_an_anonymous_visitor_is_styled(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "sciaid.css" in response.content.decode()
    assert "找不到" in response.content.decode()


def test_the_server_error_page_needs_no_database_and_is_translated(db):
    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Nothing was saved" in html
    assert "sciaid.css" in html
