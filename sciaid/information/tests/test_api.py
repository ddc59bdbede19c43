"""API of the information service: public reads without a token (public fields only), scoped reads and writes
with one, structured 400s, 409 for a step the state does not allow."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sciaid.core.publishing import PublicationStatus
from sciaid.information.models import MarketPrice, NewsItem

pytestmark = pytest.mark.django_db
NEWS = reverse("news-list")
PRICES = reverse("market-price-list")


def test_without_a_token_only_published_items_with_public_fields(world, make_item, django_assert_max_num_queries):
    published = [make_item(PublicationStatus.PUBLISHED, title=f"Published {n}") for n in range(5)]
    make_item(PublicationStatus.DRAFT)
    with django_assert_max_num_queries(4):
        response = APIClient().get(NEWS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["id"] for row in rows} == {item.pk for item in published}
    assert "status" not in rows[0] and "review_note" not in rows[0] and "created_at" not in rows[0]
    draft = NewsItem.objects.get(status=PublicationStatus.DRAFT)
    assert APIClient().get(reverse("news-detail", args=[draft.pk])).status_code == 404


def test_without_a_token_nothing_is_written(world, make_item):
    item = make_item(PublicationStatus.IN_REVIEW)
    assert APIClient().post(NEWS, {"title": "x"}, format="json").status_code == 401
    assert APIClient().post(reverse("news-publish", args=[item.pk])).status_code == 401
    assert APIClient().post(PRICES, {}, format="json").status_code == 401


def test_a_county_admin_writes_and_publishes_through_the_api(world, api_for):
    client = api_for("county_admin")
    body = {"title": "通知", "category": "notice", "area": "340422000000", "body": '<p onclick="x()">正文</p>'}
    created = client.post(NEWS, body, format="json")
    assert created.status_code == 201, created.json()
    item_id = created.json()["id"]
    assert "onclick" not in created.json()["body"]
    assert client.post(reverse("news-submit", args=[item_id])).status_code == 200
    published = client.post(reverse("news-publish", args=[item_id]), {"on": "2020-06-01"}, format="json")
    assert published.json()["status"] == "published" and published.json()["published_on"] == "2020-06-01"
    again = client.post(reverse("news-publish", args=[item_id]))
    assert again.status_code == 409 and again.json()["code"] == "transition_refused"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "category": "notice", "area": "340422000000", "body": "<p>x</p>"}, "title"),
        ({"title": "x", "category": "gossip", "area": "340422000000", "body": "<p>x</p>"}, "category"),
        ({"title": "x", "category": "notice", "area": "340421000000", "body": "<p>x</p>"}, "area"),
        ({"title": "x", "category": "notice", "area": "340422105201", "body": "<p>x</p>"}, "area"),
        ({"title": "x", "category": "notice", "area": "340422000000", "body": "<script>x</script>"}, "body"),
    ],
)
def test_bad_items_are_a_structured_400(world, api_for, body, field):
    response = api_for("county_admin").post(NEWS, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not NewsItem.objects.exists()


def test_other_roles_may_not_create(world, api_for):
    body = {"title": "x", "category": "notice", "area": "340422000000", "body": "<p>x</p>"}
    assert api_for("info_officer").post(NEWS, body, format="json").status_code == 403


def test_prices_are_public_filtered_and_created_by_county_admins(world, rice, market_a, market_b, price, api_for):
    price()
    price(day="2020-06-01", value="2.70")
    rows = APIClient().get(PRICES, {"product": rice.pk, "since": "2020-05-25"}).json()["results"]
    assert [row["price"] for row in rows] == ["2.70"]
    client = api_for("county_admin")
    body = {"date": "2020-06-08", "product": "水稻", "market": market_a.pk, "price": "2.75"}
    assert client.post(PRICES, body, format="json").status_code == 201
    assert client.post(PRICES, {**body, "price": "2.80"}, format="json").status_code == 200
    assert str(MarketPrice.objects.get(date="2020-06-08").price) == "2.80"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"price": "-1"}, "price"), ({"product": "榴莲"}, "product"), ({"market": "other"}, "market")],
)
def test_bad_prices_are_a_structured_400(world, rice, market_a, market_b, api_for, change, field):
    body = {"date": "2020-06-08", "product": "水稻", "market": market_a.pk, "price": "2.75", **change}
    if body["market"] == "other":
        body["market"] = market_b.pk
    response = api_for("county_admin").post(PRICES, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not MarketPrice.objects.exists()
