"""The public catalogue: without a login, published entries only, public fields only (never the contact), found by
Chinese words and by pinyin; unpublished ones are 404; the public API needs no token and leaks nothing private."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sciaid.achievements.api import PublicAchievementSerializer
from sciaid.core.publishing import PublicationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
#: Fields a public reader never gets.
PRIVATE = {"contact", "status", "review_note", "published_by", "created_by", "updated_by", "words"}
CONTACT = "王老师 13905540000"


def test_the_public_serializer_declares_no_private_field():
    assert not PRIVATE & set(PublicAchievementSerializer.Meta.fields)


def test_the_public_list_shows_published_entries_without_contact(world, make_achievement, client):
    shown = make_achievement(PublicationStatus.PUBLISHED, title="稻虾共作技术")
    for status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN):
        make_achievement(status, title=f"Hidden {status}")
    response = client.get(reverse("achievements:public-list"))
    assert response.status_code == 200
    assert [item.pk for item in response.context["object_list"]] == [shown.pk]
    body = response.content.decode()
    assert "Hidden" not in body and "13905540000" not in body


def test_the_public_detail_hides_the_contact_and_unpublished_entries(world, make_achievement, client):
    item = make_achievement(PublicationStatus.PUBLISHED)
    page = client.get(reverse("achievements:public-detail", args=[item.pk]))
    assert page.status_code == 200 and item.title in page.content.decode()
    assert "13905540000" not in page.content.decode() and "王老师" not in page.content.decode()
    for status in (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN):
        hidden = make_achievement(status, title=f"Hidden {status}")
        assert client.get(reverse("achievements:public-detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("achievements:public-detail", args=[987654])).status_code == 404


def test_a_logged_in_user_is_offered_the_contact_page(world, make_achievement, client_for, client):
    item = make_achievement(PublicationStatus.PUBLISHED)
    link = reverse("achievements:achievement-detail", args=[item.pk])
    assert link not in client.get(item.get_public_url()).content.decode()
    assert link in client_for("farmer").get(item.get_public_url()).content.decode()


def test_the_public_api_needs_no_token_and_returns_public_fields_only(world, make_achievement):
    item = make_achievement(PublicationStatus.PUBLISHED)
    draft = make_achievement(PublicationStatus.DRAFT, title="draft")
    anonymous = APIClient()
    listed = anonymous.get("/api/v1/achievements/")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["id"] for row in rows] == [item.pk]
    assert not PRIVATE & set(rows[0]) and CONTACT not in listed.content.decode()
    detail = anonymous.get(f"/api/v1/achievements/{item.pk}/")
    assert detail.status_code == 200 and "contact" not in detail.json()
    assert anonymous.get(f"/api/v1/achievements/{draft.pk}/").status_code == 404
    assert anonymous.post("/api/v1/achievements/", {}, format="json").status_code in (401, 403)
    assert anonymous.get("/api/v1/transfers/").status_code in (401, 403)


@pytest.fixture
def catalogue(make_achievement):
    shrimp = "稻田开挖环沟，一季水稻两季小龙虾。"
    return {
        "shrimp": make_achievement(title="稻虾共作技术", description=shrimp, industries=("crayfish",)),
        "crab": make_achievement(title="河蟹生态养殖技术", description="种草投螺，稀放精养河蟹。"),
        "rice": make_achievement(title="皖稻68", kind="variety", description="中籼迟熟水稻。", industries=("grain",)),
        "veg": make_achievement(title="大棚蔬菜水肥一体化技术", description="滴灌施肥。", industries=("vegetables",)),
    }


def found(client, query) -> list[int]:
    response = client.get(reverse("achievements:public-list"), {"q": query})
    assert response.status_code == 200
    return [item.pk for item in response.context["object_list"]]


def test_search_by_chinese_words_ranks_the_best_match_first(world, catalogue, client):
    assert found(client, "河蟹怎么养殖")[0] == catalogue["crab"].pk
    assert found(client, "小龙虾") == [catalogue["shrimp"].pk]
    assert found(client, "水肥一体化") == [catalogue["veg"].pk]
    assert found(client, "苹果") == []


def test_search_by_pinyin_and_initials(world, catalogue, client):
    assert found(client, "wandao68") == [catalogue["rice"].pk]
    assert found(client, "wan dao") == [catalogue["rice"].pk]
    assert found(client, "dxgz") == [catalogue["shrimp"].pk]
    assert found(client, "hexie")[0] == catalogue["crab"].pk


def test_the_api_searches_too(world, catalogue):
    rows = APIClient().get("/api/v1/achievements/", {"q": "河蟹"}).json()["results"]
    assert rows[0]["id"] == catalogue["crab"].pk


def test_the_public_list_stays_at_few_queries(world, make_achievement, client, django_assert_max_num_queries):
    for index in range(15):
        make_achievement(title=f"河蟹技术{index}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("achievements:public-list"), {"q": "河蟹"})
    assert len(response.context["object_list"]) == 15


@pytest.mark.parametrize(
    "url",
    [
        "/achievements/?kind=bogus&industry=nope&mode=zzz&area=xyz&page=abc",
        "/achievements/?q=%00%27&page=999999",
        "/achievements/987654/",
        "/api/v1/achievements/?q=wan&kind=moon&page=abc",
    ],
)
def test_odd_query_strings_get_a_page_or_a_clear_4xx(world, client, url):
    assert client.get(url).status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/achievements/manage/?status=bogus&mode=x&export=pdf",
        "/achievements/needs/?area=x&industry=nope&status=zzz",
        "/achievements/transfers/?year=20x&kind=moon&page=abc",
        "/achievements/transfers/new/?achievement=abc&need=999999",
        "/achievements/manage/987654/do/publish/",
    ],
)
def test_odd_manager_urls_get_a_page_or_a_clear_4xx(world, client_for, url):
    assert client_for("county_admin").get(url).status_code in (200, 400, 403, 404, 405)
