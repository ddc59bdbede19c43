"""The area filter of the needs and transfers lists: it offers and accepts only the reader's own areas (it offered
every area of the province, ~56,000 options, 2.9 MB a page), as a select in a county and as a division-code box past
`AREA_SELECT_LIMIT`; an area outside the reader's jurisdiction is refused, never listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sciaid.regions import filters as region_filters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PAGES = {"achievements:need-list": "technology-need-list", "achievements:transfer-list": "transfer-list"}


@pytest.fixture
def listed(world, make_achievement, make_need, make_transfer):
    """One need and one transfer in each county (county A's in village A1, county B's in village B1)."""
    achievement = make_achievement()
    for county, village in (("a", "village_a1"), ("b", "village_b1")):
        by = "county_admin" if county == "a" else "county_admin_b"
        make_need(area_key=village, by=by, title=f"需求{county}")
        make_transfer(achievement, area_key=village, by=by, recipient=f"合作社{county}")


@pytest.mark.parametrize("page", PAGES)
def test_the_filter_offers_only_the_readers_areas(world, listed, client_for, page):
    body = client_for("county_admin").get(reverse(page)).content.decode()
    assert '<option value="340422105201">姚祠村</option>' in body and '<select name="area"' in body
    assert "340421" not in body and "凤台县" not in body and "黄湾村" not in body


@pytest.mark.parametrize("page", PAGES)
def test_an_area_of_the_reader_narrows_the_list(world, listed, client_for, page):
    response = client_for("county_admin").get(reverse(page), {"area": "340422105000"})
    assert len(response.context["object_list"]) == 1
    assert not client_for("county_admin").get(reverse(page), {"area": "340422106000"}).context["object_list"]


@pytest.mark.parametrize("page", PAGES)
def test_another_countys_area_is_refused_on_the_page_and_in_the_api(world, listed, client_for, api_for, page):
    response = client_for("county_admin").get(reverse(page), {"area": "340421000000"})
    assert response.status_code == 200 and not response.context["object_list"]
    assert response.context["filter"].errors["area"]
    assert api_for("county_admin").get(reverse(PAGES[page]), {"area": "340421000000"}).status_code == 400
    assert len(api_for("admin").get(reverse(PAGES[page]), {"area": "340421000000"}).json()["results"]) == 1


@pytest.mark.parametrize("page", PAGES)
def test_past_the_select_limit_the_area_is_typed_as_a_code(world, listed, client_for, monkeypatch, page):
    monkeypatch.setattr(region_filters, "AREA_SELECT_LIMIT", 3)
    client = client_for("admin")
    body = client.get(reverse(page)).content.decode()
    assert '<select name="area"' not in body and 'name="area"' in body and "姚祠村" in body  # the row, not an option
    assert len(client.get(reverse(page), {"area": "340421101201"}).context["object_list"]) == 1
