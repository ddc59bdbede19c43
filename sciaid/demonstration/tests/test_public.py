"""What the public reads without a login: public sites only, and no personal data in pages or the API."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sciaid.demonstration import services
from sciaid.demonstration.choices import OperatorKind
from sciaid.demonstration.tests.samples import png

pytestmark = pytest.mark.django_db

#: Personal data of the test world: household heads, household numbers, phones, the household operator's name.
OPERATOR = "张大伯"


@pytest.fixture
def household_site(world, make_site, commissioner):
    site = make_site(
        name="食用菌示范点",
        operator_kind=OperatorKind.HOUSEHOLD,
        operator_name=OPERATOR,
        address="姚祠村东组3号",
        latitude=Decimal("32.31220"),
        longitude=Decimal("116.56740"),
        commissioners=[commissioner],
        households_driven=10,
        poor_households_driven=2,
        poor_households=[world.household_a1, world.household_a2],
    )
    services.add_photos(world.county_admin, site, [png()])
    return site


def personal(world) -> list[str]:
    values = [OPERATOR, "姚祠村东组3号", "32.31220", "13905541234"]
    for household in world.households.values():
        values += [household.head_name, household.number, household.phone]
    return values


def test_the_public_page_and_api_leak_no_personal_data(world, household_site, figures):
    services.record_figures(world.county_admin, household_site, year=2020, **figures)
    anonymous = APIClient()
    pages = [
        anonymous.get(reverse("demonstration:public-list")).content.decode(),
        anonymous.get(household_site.get_public_url()).content.decode(),
        anonymous.get("/api/v1/demo-sites/").content.decode(),
        anonymous.get(f"/api/v1/demo-sites/{household_site.pk}/").content.decode(),
        anonymous.get("/api/v1/site-figures/").content.decode(),
    ]
    for text in pages:
        for value in personal(world):
            assert value not in text
    assert "食用菌示范点" in pages[1] and "王建国" in pages[1]
    body = anonymous.get(f"/api/v1/demo-sites/{household_site.pk}/").json()
    assert "poor_households" not in body and body["latitude"] is None and body["operator_name"] == ""


def test_a_public_photo_is_served_and_a_draft_sites_is_not(world, household_site, make_site):
    photo = household_site.photos.get()
    assert APIClient().get(reverse("demonstration:public-photo", args=[photo.pk])).status_code == 200
    draft = make_site(name="待审示范点", publish=False)
    draft_photo = services.add_photos(world.county_admin, draft, [png()])[0]
    assert APIClient().get(reverse("demonstration:public-photo", args=[draft_photo.pk])).status_code == 404


def test_a_draft_site_is_a_404_for_the_public(world, make_site):
    draft = make_site(publish=False)
    client = APIClient()
    assert client.get(draft.get_public_url()).status_code == 404
    assert client.get(f"/api/v1/demo-sites/{draft.pk}/").status_code == 404
    assert draft.name not in client.get(reverse("demonstration:public-list")).content.decode()


def test_the_public_list_filters_by_county_industry_and_kind(world, make_site):
    from sciaid.experts.models import Specialty

    make_site(name="河蟹基地")
    vegetables = Specialty.objects.get(code="vegetables")
    make_site(name="凤台蔬菜基地", village="village_b1", by="county_admin_b", industry=vegetables)
    client = APIClient()
    url = reverse("demonstration:public-list")
    page = client.get(url, {"area": world.county_a.code}).content.decode()
    assert "河蟹基地" in page and "凤台蔬菜基地" not in page
    page = client.get(url, {"industry": "aquaculture"}).content.decode()
    assert "河蟹基地" in page and "凤台蔬菜基地" not in page
    page = client.get(url, {"kind": "park"}).content.decode()
    assert "河蟹基地" not in page


def test_anonymous_writes_are_refused(world, make_site):
    site = make_site()
    client = APIClient()
    assert client.post("/api/v1/demo-sites/", {"name": "x"}).status_code in (401, 403)
    assert client.post(f"/api/v1/demo-sites/{site.pk}/close/").status_code in (401, 403)


def test_public_query_counts_do_not_grow(world, make_site, django_assert_max_num_queries):
    for index in range(10):
        site = make_site(name=f"示范点{index}")
        services.add_photos(world.county_admin, site, [png()])
    client = APIClient()
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/demo-sites/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("demonstration:public-list")).status_code == 200
