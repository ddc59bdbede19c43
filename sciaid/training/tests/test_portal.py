"""The public training pages: counties with something to show, a county's upcoming trainings and latest articles,
one public event; drafts and cancelled events are 404; no page shows who registered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sciaid.core.publishing import PublicationStatus
from sciaid.training import services
from sciaid.training.tests.conftest import guest
from sciaid.training.tests.search_factories import make_article

COUNTIES = reverse("training:public-counties")
SOON = timezone.localdate() + timedelta(days=10)


def county_url(code: str) -> str:
    return reverse("training:public-county", args=[code])


def event_url(event) -> str:
    return reverse("training:public-event", args=[event.pk])


@pytest.fixture
def announced(world, make_event, member):
    """An upcoming training in village A1 with a household member and a guest registered."""
    event = make_event(first=SOON, days=2, address="村委会二楼", capacity=40, title="河蟹养殖技术培训")
    services.register(world.county_admin, event, member("household_a1", "张小三"))
    services.register(world.county_admin, event, guest(world, phone="13905549876", name="王五"))
    return event


PERSONAL = ("张小三", "王五", "13905549876", "9876", "户主1", "13905540001")


def assert_no_personal_data(html: str, world) -> None:
    for text in (*PERSONAL, world.household_a1.id_number_masked, world.household_a1.number):
        assert text not in html


def test_the_counties_with_trainings_or_articles_are_listed(client, world, announced, make_event):
    make_event("village_b1", first=SOON, publish=False, title="凤台草稿培训")
    html = client.get(COUNTIES).content.decode()
    assert county_url(world.county_a.code) in html and "寿县" in html
    assert county_url(world.county_b.code) not in html
    make_article(world, "凤台县水稻栽培", area="county_b")
    assert county_url(world.county_b.code) in client.get(COUNTIES).content.decode()


@pytest.mark.parametrize("code", ["340422", "340422000000"])
def test_a_county_code_leads_to_its_page(client, world, code):
    response = client.get(COUNTIES, {"county": code})
    assert response.status_code == 302 and response.url == county_url("340422000000")


@pytest.mark.parametrize("code", ["999999", "340422105201", "abc"])
def test_an_unknown_or_non_county_code_is_404(client, world, code):
    assert client.get(COUNTIES, {"county": code}).status_code == 404


def test_the_county_page_shows_upcoming_trainings_and_articles_without_personal_data(
    client, world, announced, make_event
):
    make_event(first=SOON, publish=False, title="未发布的草稿培训")
    cancelled = make_event(first=SOON, title="取消的培训")
    services.cancel_event(world.county_admin, cancelled, "天气原因")
    make_event(first=timezone.localdate() - timedelta(days=30), title="过去的培训")
    make_article(world, "省级河蟹养殖指南", area="province", summary="全省适用")
    make_article(world, "凤台县文章", area="county_b")
    make_article(world, "寿县草稿文章", status=PublicationStatus.DRAFT)
    response = client.get(county_url(world.county_a.code))
    assert response.status_code == 200
    html = response.content.decode()
    assert "河蟹养殖技术培训" in html and event_url(announced) in html
    assert "村委会二楼" in html and "寿县科学技术局" in html and "姚祠村" in html
    assert "2 / 40" in html  # registered / capacity
    assert "省级河蟹养殖指南" in html and "全省适用" in html
    for hidden in ("未发布的草稿培训", "取消的培训", "过去的培训", "凤台县文章", "寿县草稿文章"):
        assert hidden not in html
    assert reverse("training:search") in html
    assert_no_personal_data(html, world)


def test_the_county_page_of_a_village_code_is_404(client, world):
    assert client.get(county_url(world.village_a1.code)).status_code == 404
    assert client.get(county_url("999999")).status_code == 404


def test_the_public_event_page_shows_no_registrations(client, world, announced):
    response = client.get(event_url(announced))
    assert response.status_code == 200
    html = response.content.decode()
    assert "河蟹养殖技术培训" in html and "村委会二楼" in html
    assert_no_personal_data(html, world)
    assert reverse("training:registration-list", args=[announced.pk]) not in html


def test_drafts_and_cancelled_events_are_not_public(client, world, make_event):
    draft = make_event(first=SOON, publish=False)
    cancelled = make_event(first=SOON)
    services.cancel_event(world.county_admin, cancelled, "天气原因")
    assert client.get(event_url(draft)).status_code == 404
    assert client.get(event_url(cancelled)).status_code == 404
    assert client.get(reverse("training:public-event", args=[987654])).status_code == 404


def test_a_held_training_stays_public(client, world, make_event):
    held = make_event(first=timezone.localdate())
    services.hold_event(world.county_admin, held)
    assert client.get(event_url(held)).status_code == 200


def test_the_public_pages_query_a_constant_number_of_times(client, world, make_event, django_assert_max_num_queries):
    for n in range(6):
        make_event(first=SOON + timedelta(days=n), title=f"培训{n}")
        make_article(world, f"文章{n}")
    with django_assert_max_num_queries(6):
        assert client.get(county_url(world.county_a.code)).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(COUNTIES).status_code == 200
