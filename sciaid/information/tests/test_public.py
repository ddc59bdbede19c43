"""Public pages and the Atom feed: without a login, only published items of the chosen county (with the
province's), no personal data, unpublished ones 404; the feed is valid Atom."""

import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sciaid.core.publishing import PublicationStatus
from sciaid.information import services
from sciaid.information.tests.conftest import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_public_list_shows_published_items_of_the_county_and_the_province(world, make_item, client):
    own = make_item(PublicationStatus.PUBLISHED, title="Shouxian notice")
    province = make_item(PublicationStatus.PUBLISHED, area_key="province", by="admin", title="Province notice")
    other = make_item(PublicationStatus.PUBLISHED, area_key="county_b", by="county_admin_b", title="Fengtai notice")
    for status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN):
        make_item(status, title=f"Hidden {status}")
    response = client.get(reverse("information:public-list"), {"area": "340422000000"})
    assert response.status_code == 200
    assert {item.pk for item in response.context["object_list"]} == {own.pk, province.pk}
    body = response.content.decode()
    assert "Hidden" not in body and other.title not in body
    assert world.county_admin.username not in body


def test_an_unpublished_item_is_not_found_for_the_public(world, make_item, client):
    for status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN):
        assert client.get(reverse("information:public-detail", args=[make_item(status).pk])).status_code == 404
    assert client.get(reverse("information:public-detail", args=[987654])).status_code == 404


def test_a_published_item_and_its_attachment_are_public(world, make_item, client):
    item = make_item(PublicationStatus.DRAFT, body="<p>Body</p>")
    attachment = services.add_attachment(world.county_admin, item, title="Form", upload=ContentFile(PDF, "a.pdf"))
    services.submit_item(world.county_admin, item)
    services.publish_item(world.county_admin, item)
    page = client.get(reverse("information:public-detail", args=[item.pk]))
    assert page.status_code == 200 and b"Body" in page.content
    assert b"review" not in page.content.lower()
    download = client.get(reverse("information:public-attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_the_public_list_stays_at_few_queries(world, make_item, client, django_assert_max_num_queries):
    for index in range(15):
        make_item(PublicationStatus.PUBLISHED, title=f"Item {index}")
    # Area chooser, the chosen area, count, page: the same for 15 items as for one.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("information:public-list"), {"area": "340422000000"})
    assert len(response.context["object_list"]) == 15


def test_odd_query_strings_get_a_page(client):
    for query in ({"area": "x"}, {"category": "bogus", "year": "20x"}, {"page": "abc"}):
        assert client.get(reverse("information:public-list"), query).status_code < 500
    assert client.get(reverse("information:price-chart"), {"product": "x", "market": "-1"}).status_code == 404


# --- the feed -----------------------------------------------------------------------------------------------------


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_valid_atom_with_the_countys_published_items(world, make_item, client):
    notice = make_item(PublicationStatus.PUBLISHED, title="County notice")
    province = make_item(
        PublicationStatus.PUBLISHED, area_key="province", by="admin", title="Province policy", category="policy"
    )
    make_item(PublicationStatus.DRAFT, title="Draft")
    make_item(PublicationStatus.PUBLISHED, area_key="county_b", by="county_admin_b", title="Other county")
    feed = parse(client.get(reverse("information:feed", args=["340422000000"])))
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated"):
        assert feed.find(f"{ATOM}{tag}").text
    assert feed.find(f"{ATOM}link").get("href").endswith("?area=340422000000")
    entries = feed.findall(f"{ATOM}entry")
    assert {entry.find(f"{ATOM}title").text for entry in entries} == {notice.title, province.title}
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 2
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text and entry.find(f"{ATOM}published").text.startswith("2020-05-22")
        assert "/news/" in entry.find(f"{ATOM}link").get("href")


def test_the_feed_of_one_category(world, make_item, client):
    make_item(PublicationStatus.PUBLISHED, title="County notice")
    policy = make_item(PublicationStatus.PUBLISHED, title="County policy", category="policy")
    feed = parse(client.get(reverse("information:feed-category", args=["340422000000", "policy"])))
    assert [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")] == [policy.title]


def test_an_unknown_area_or_category_has_no_feed(client):
    assert client.get(reverse("information:feed", args=["999999000000"])).status_code == 404
    assert client.get(reverse("information:feed", args=["340422105201"])).status_code == 404
    assert client.get(reverse("information:feed-category", args=["340422000000", "gossip"])).status_code == 404
