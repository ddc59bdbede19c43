"""The sites list's area filter offers and accepts only the reader's own areas: it offered all ~56,000 areas of a
province (2.9 MB, 4 s a page at province scale); an area outside the reader's jurisdiction is refused, never listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def sites(world, make_site):
    """A site in each county: 寿县's in village A1, 凤台县's in village B1."""
    make_site()
    make_site(village="village_b1", by="county_admin_b", name="凤台县葡萄示范园")


def test_the_filter_offers_only_the_readers_areas(world, sites, client_for):
    body = client_for("county_admin").get(reverse("demonstration:site-list")).content.decode()
    assert '<option value="340422105201">姚祠村</option>' in body and '<select name="area"' in body
    assert "340421" not in body and "凤台县" not in body


def test_an_area_of_the_reader_narrows_the_list_and_another_countys_is_refused(world, sites, client_for, api_for):
    client = client_for("county_admin")
    assert len(client.get(reverse("demonstration:site-list"), {"area": "340422105000"}).context["object_list"]) == 1
    refused = client.get(reverse("demonstration:site-list"), {"area": "340421000000"})
    assert refused.status_code == 200 and not refused.context["object_list"]
    assert refused.context["filter"].errors["area"]
    assert api_for("county_admin").get(reverse("demo-site-list"), {"area": "340421000000"}).status_code == 400
    assert len(api_for("admin").get(reverse("demo-site-list"), {"area": "340421000000"}).json()["results"]) == 1
