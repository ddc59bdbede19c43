"""The news search (`?q=` of the public list, the managers' list and the API): Chinese words of title and text, pinyin
and initials of the title, best matches first; the stored words follow every edit; what is not published (or not the
reader's) is never found."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sciaid.core.publishing import PublicationStatus
from sciaid.information import services
from sciaid.information.models import NewsItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PUBLIC = reverse("information:public-list")
API = "/api/v1/news/"


@pytest.fixture
def news(make_item):
    return {
        "crab": make_item(title="河蟹养殖水质调控技术培训通知", body="<p>河蟹池塘水质发绿时换水，水质要清。</p>"),
        "moult": make_item(title="河蟹蜕壳期管理要点", body="<p>蜕壳期少投喂。</p>"),
        "rice": make_item(title="水稻田间管理", body="<p>稻田灌溉注意水质。</p>"),
        "draft": make_item(PublicationStatus.DRAFT, title="河蟹水质草稿", body="<p>河蟹 水质</p>"),
        "brief": make_item(title="寿县科技扶贫工作简报（2020年第2期）", body="<p>一季度技术需求办结率96%。</p>"),
    }


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [item.title for item in response.context["object_list"]]


def test_the_services_keep_the_stored_words_and_pinyin(world, news):
    item = news["brief"]
    assert {"简报", "2020"} <= set(item.words.split())
    assert item.title_pinyin.startswith("shouxiankejifupin") and "2020" in item.title_pinyin
    assert item.title_initials.startswith("sxkjfp")
    draft = news["draft"]
    services.save_item(world.county_admin, instance=draft, title="稻虾共作通知", summary="稻虾", body="<p>稻虾</p>")
    draft.refresh_from_db()
    assert "河蟹" not in draft.words and "稻虾" in draft.words.split() and draft.title_initials == "dxgztz"


def test_the_public_list_finds_chinese_words_best_match_first(client, news):
    found = titles(client.get(PUBLIC, {"q": "河蟹水质"}))
    assert found[0] == "河蟹养殖水质调控技术培训通知"
    assert set(found) == {"河蟹养殖水质调控技术培训通知", "河蟹蜕壳期管理要点", "水稻田间管理"}
    assert titles(client.get(PUBLIC, {"q": "蜕壳"})) == ["河蟹蜕壳期管理要点"]
    assert titles(client.get(PUBLIC, {"q": "苹果"})) == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("hexie", ["河蟹蜕壳期管理要点", "河蟹养殖水质调控技术培训通知"]),
        ("hxtk", ["河蟹蜕壳期管理要点"]),
        ("sxkj", None),
    ],
)
def test_the_public_list_finds_pinyin_and_initials_of_titles(client, news, query, found):
    assert titles(client.get(PUBLIC, {"q": query})) == (found or [news["brief"].title])


def test_the_search_keeps_the_other_filters(client, world, news, make_item):
    make_item(area_key="county_b", by="county_admin_b", title="凤台县河蟹养殖通知", body="<p>河蟹</p>")
    assert "凤台县河蟹养殖通知" not in titles(client.get(PUBLIC, {"q": "河蟹", "area": world.county_a.code}))
    assert "凤台县河蟹养殖通知" in titles(client.get(PUBLIC, {"q": "河蟹"}))


def test_a_query_without_words_finds_nothing(client, news):
    assert titles(client.get(PUBLIC, {"q": "的 了 吗"})) == []
    assert len(titles(client.get(PUBLIC, {"q": "   "}))) == 4


def test_the_api_searches_the_same_way_for_anonymous_callers(news):
    response = APIClient().get(API, {"q": "河蟹水质"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows[0]["id"] == news["crab"].pk and news["draft"].pk not in {row["id"] for row in rows}
    assert [row["id"] for row in APIClient().get(API, {"q": "hexie"}).json()["results"]] == [
        news["moult"].pk,
        news["crab"].pk,
    ]


def test_managers_find_their_drafts_and_never_another_county_s(api_for, client_for, news, make_item):
    other = make_item(PublicationStatus.DRAFT, area_key="county_b", by="county_admin_b", title="河蟹水质草稿B")
    rows = api_for("county_admin").get(API, {"q": "河蟹水质"}).json()["results"]
    ids = {row["id"] for row in rows}
    assert news["draft"].pk in ids and other.pk not in ids
    page = client_for("county_admin").get(reverse("information:item-list"), {"q": "草稿"})
    assert [item.pk for item in page.context["object_list"]] == [news["draft"].pk]


def test_the_search_stays_at_few_queries(client, news, make_item, django_assert_max_num_queries):
    for index in range(15):
        make_item(title=f"河蟹养殖第{index}期", body="<p>河蟹</p>")
    # Area chooser, the candidate SELECT, count, page: the same for 15 matches as for one.
    with django_assert_max_num_queries(7):
        response = client.get(PUBLIC, {"q": "河蟹"})
    assert len(response.context["object_list"]) == 17
    assert NewsItem.objects.filter(words__contains="河蟹").count() == 18
