"""The portal registry: functions plug in their entrance, figures, year and sitemaps; core orders and merges them."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from sciaid.core import portal
from sciaid.core.portal import Figure, PortalFunction, PortalSection


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the apps' registrations come back afterwards."""
    monkeypatch.setattr(portal, "_functions", {})
    return portal


def entrance(key):
    return lambda area: PortalSection(key, key.title(), f"{key} for {area}")


def test_entrances_come_in_the_registered_order_whatever_the_registration_order(registry):
    registry.register_portal(PortalFunction("training", 40, section=entrance("training")))
    registry.register_portal(PortalFunction("assistance", 10, section=entrance("assistance")))
    registry.register_portal(PortalFunction("figures-only", 15, figures=lambda area, year: [Figure("x", 1)]))

    sections = registry.portal_sections("寿县")

    assert [section.key for section in sections] == ["assistance", "training"]
    assert sections[0].summary == "assistance for 寿县"


def test_a_function_with_nothing_to_show_is_left_out(registry):
    registry.register_portal(PortalFunction("empty", 10, section=lambda area: None))
    assert registry.portal_sections("寿县") == []


def test_registering_twice_replaces_instead_of_doubling(registry):
    registry.register_portal(PortalFunction("news", 50, section=entrance("old")))
    registry.register_portal(PortalFunction("news", 50, section=entrance("new")))
    assert [section.key for section in registry.portal_sections(None)] == ["new"]


def test_figures_follow_the_functions_order_and_receive_area_and_year(registry):
    seen = []

    def training(area, year):
        seen.append((area, year))
        return [Figure("trainings", 3), Figure("trainees", 40)]

    registry.register_portal(PortalFunction("training", 40, figures=training))
    registry.register_portal(PortalFunction("assistance", 10, figures=lambda area, year: [Figure("answers", 2)]))

    figures = registry.portal_figures("寿县", 2020)

    assert [(figure.label, figure.value) for figure in figures] == [("answers", 2), ("trainings", 3), ("trainees", 40)]
    assert seen == [("寿县", 2020)]


def test_the_year_is_the_latest_any_function_holds_else_this_year(registry):
    assert registry.portal_year() == timezone.localdate().year
    registry.register_portal(PortalFunction("none-yet", 10, latest_year=lambda: None))
    registry.register_portal(PortalFunction("a", 20, latest_year=lambda: 2019))
    registry.register_portal(PortalFunction("b", 30, latest_year=lambda: 2020))
    assert registry.portal_year() == 2020


class Pages(Sitemap):
    def items(self):
        return ["/one/", "/two/"]

    def location(self, item):
        return item


def test_the_sitemap_index_lists_every_registered_section(registry, client):
    registry.register_portal(PortalFunction("a", 10, sitemaps={"pages": Pages}))

    index = client.get("/sitemap.xml")
    section = client.get("/sitemap-pages.xml")

    assert index.status_code == 200
    locations = [node.text for node in ElementTree.fromstring(index.content).iter() if node.tag.endswith("loc")]
    assert locations == ["http://testserver/sitemap-pages.xml"]
    urls = [node.text for node in ElementTree.fromstring(section.content).iter() if node.tag.endswith("loc")]
    assert urls == ["http://testserver/one/", "http://testserver/two/"]
    assert client.get("/sitemap-unknown.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_api(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /api/" in text
    assert "Disallow: /admin/" in text
