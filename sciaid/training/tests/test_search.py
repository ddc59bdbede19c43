"""The knowledge-base search: ranking on hand-made cases, pinyin and initials, the capped candidate set, what
anonymous and logged-in users find, jurisdiction over training materials, the demand form's suggester, the search
page and its JSON API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from sciaid.core import suggestions as core_suggestions
from sciaid.core.publishing import PublicationStatus
from sciaid.training import search as search_module
from sciaid.training import services
from sciaid.training.search import ARTICLE, KNOWLEDGE, MATERIAL, article_suggestions, pinyin_letters, search
from sciaid.training.tests.search_factories import make_article, make_knowledge

PDF = b"%PDF-1.4\n% handout\n"
SEARCH = reverse("training:search")
API = "/api/v1/knowledge-search/"


@pytest.fixture
def library(world):
    """Three published articles of which only one is about both crabs and water quality, and a draft that is."""
    return {
        "both": make_article(
            world, "河蟹养殖水质调控要点", "<p>河蟹池塘要定期检测水质，水质发绿时换水。</p>", days_ago=30
        ),
        "rice": make_article(world, "水稻田间管理", "<p>稻田灌溉注意水质。</p>", days_ago=1),
        "moult": make_article(world, "河蟹蜕壳期管理", "<p>河蟹蜕壳期间少投喂，河蟹需要安静。</p>", days_ago=2),
        "draft": make_article(world, "河蟹水质草稿", "<p>河蟹 水质</p>", status=PublicationStatus.DRAFT),
    }


def material(world, make_event, title: str, *, area="village_a1", publish=True):
    event = make_event(area, first=timezone.localdate() + timedelta(days=7), publish=publish)
    by = world.county_admin_b if area.endswith("b1") else world.county_admin
    return services.add_material(by, event, title=title, upload=ContentFile(PDF, "a.pdf"))


def titles(hits) -> list[str]:
    return [hit.title for hit in hits]


def test_the_article_about_both_words_comes_first_and_drafts_never(world, library):
    hits = search("河蟹水质", world.outsider)
    assert titles(hits)[0] == "河蟹养殖水质调控要点"
    assert set(titles(hits)) == {"河蟹养殖水质调控要点", "水稻田间管理", "河蟹蜕壳期管理"}
    assert all(hit.source == ARTICLE and hit.score > 0 for hit in hits)
    assert "水质" in hits[0].snippet


def test_an_article_holding_only_a_rarer_word_still_is_found(world, library):
    assert titles(search("蜕壳", None)) == ["河蟹蜕壳期管理"]


@pytest.mark.parametrize("query", ["hexie", "HeXie", "he xie", "hxyz", "hexieyangzhi"])
def test_pinyin_and_initials_find_the_title(world, query):
    make_article(world, "河蟹养殖", "<p>养殖要点</p>")
    make_article(world, "水稻栽培", "<p>栽培要点</p>")
    assert titles(search(query, None)) == ["河蟹养殖"]


def test_a_title_holding_the_query_word_outranks_a_body_that_does(world):
    make_article(world, "蜕壳期管理", "<p>河蟹要点</p>")
    make_article(world, "池塘管理", "<p>蜕壳期要点</p>")
    assert titles(search("蜕壳", None)) == ["蜕壳期管理", "池塘管理"]


def test_the_rare_word_is_not_crowded_out_by_a_word_in_every_article(world, monkeypatch):
    """No article holds both words: the top-up takes the rare word's articles first, the common word's fill the rest
    of the capped candidates."""
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    for n in range(5):
        make_article(world, f"果树第{n}讲", "<p>果树修剪技术</p>")
    make_article(world, "河蟹蜕壳", "<p>蜕壳期少投喂</p>")
    hits = search("技术 蜕壳", None)
    assert titles(hits)[0] == "河蟹蜕壳" and len(hits) == 3


def test_a_word_in_more_articles_than_the_cap_yields_the_capped_set(world, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    for n in range(4):
        make_article(world, f"水稻第{n}讲", "<p>水稻栽培</p>")
    assert len(search("水稻", None)) == 2


@pytest.mark.parametrize("query", ["shuidao", "sd"])
def test_pinyin_hits_are_the_newest_titles(world, query):
    for days in (3, 1, 2):
        make_article(world, f"水稻{days}", days_ago=days)
    assert titles(search(query, None, limit=2)) == ["水稻1", "水稻2"]


def test_pinyin_letters_only_for_letters():
    assert pinyin_letters(" He Xie ") == "hexie"
    assert pinyin_letters("河蟹") == pinyin_letters("x") == pinyin_letters("co2") == ""


@pytest.mark.parametrize("query", ["", "   ", "的 了 吗", "？！"])
def test_a_query_without_words_finds_nothing(world, library, query):
    assert search(query, world.county_admin) == []


def test_anonymous_visitors_find_articles_only(world, library, make_event):
    make_knowledge(world, "河蟹水质发绿", "换水三分之一，泼洒底改")
    material(world, make_event, "河蟹水质讲义")
    assert {hit.source for hit in search("河蟹水质", None)} == {ARTICLE}


def test_logged_in_users_also_find_knowledge_and_their_materials(world, library, make_event):
    make_knowledge(world, "河蟹水质发绿", "换水三分之一，泼洒底改")
    handout = material(world, make_event, "河蟹水质讲义")
    hits = search("河蟹水质", world.county_admin)
    assert {hit.source for hit in hits} == {ARTICLE, KNOWLEDGE, MATERIAL}
    found = next(hit for hit in hits if hit.source == MATERIAL)
    assert found.pk == handout.pk and found.url_name == "training:material-file"


def test_materials_of_events_out_of_sight_are_never_found(world, make_event):
    material(world, make_event, "河蟹水质讲义B", area="village_b1")
    material(world, make_event, "河蟹水质草稿讲义", publish=False)  # a draft event: farmers do not see it yet
    assert titles(search("河蟹水质", world.county_admin)) == ["河蟹水质草稿讲义"]
    assert titles(search("河蟹水质", world.farmer)) == []
    assert titles(search("河蟹水质", world.outsider)) == []
    assert titles(search("河蟹水质", world.county_admin_b)) == ["河蟹水质讲义B"]


def test_unpublished_knowledge_is_not_found(world):
    from sciaid.assistance.choices import KnowledgeStatus

    make_knowledge(world, "河蟹水质发绿", "换水", status=KnowledgeStatus.PENDING)
    assert titles(search("河蟹水质", world.farmer)) == []


def test_training_registers_its_articles_with_the_demand_form(world, library):
    assert article_suggestions in core_suggestions._suggesters
    offered = core_suggestions.suggestions(world.info_officer, "河蟹水质", limit=3)
    urls = [item.url for item in offered]
    assert reverse("training:article-detail", args=[library["both"].pk]) in urls
    assert reverse("training:article-detail", args=[library["draft"].pk]) not in urls


def test_the_search_page_works_without_login(client, world, library):
    response = client.get(SEARCH, {"q": "河蟹水质"})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("training:article-detail", args=[library["both"].pk]) in html
    assert "河蟹水质草稿" not in html
    assert html.index("河蟹养殖水质调控要点") < html.index("水稻田间管理")


def test_the_search_page_links_only_what_the_user_may_open(client_for, world, library, make_event):
    entry = make_knowledge(world, "河蟹水质发绿", "换水三分之一，泼洒底改")
    handout = material(world, make_event, "河蟹水质讲义")
    html = client_for("county_admin").get(SEARCH, {"q": "河蟹水质"}).content.decode()
    assert reverse("assistance:knowledge-detail", args=[entry.pk]) in html
    assert reverse("training:material-file", args=[handout.pk]) in html


def test_an_empty_or_long_query_is_harmless(client, world, library):
    assert client.get(SEARCH).status_code == 200
    response = client.get(SEARCH, {"q": "河蟹" * 500})
    assert response.status_code == 200 and len(response.context["query"]) == 100


def test_the_search_page_queries_a_constant_number_of_times(
    client_for, world, library, make_event, django_assert_max_num_queries
):
    client = client_for("county_admin")
    client.get(SEARCH, {"q": "河蟹水质"})  # warm the user's grants and the session
    for n in range(5):
        make_article(world, f"河蟹水质第{n}讲", "<p>河蟹 水质</p>")
        make_knowledge(world, f"河蟹水质问题{n}", "换水")
        material(world, make_event, f"河蟹水质讲义{n}")
    with django_assert_max_num_queries(14):
        response = client.get(SEARCH, {"q": "河蟹水质"})
    assert len(response.context["hits"]) >= 15


def test_the_api_answers_anonymous_callers_with_published_articles(client, world, library, make_event):
    make_knowledge(world, "河蟹水质发绿", "换水三分之一，泼洒底改")
    material(world, make_event, "河蟹水质讲义")
    response = client.get(API, {"q": " 河蟹水质 "})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "河蟹水质"
    first = body["results"][0]
    assert first["title"] == "河蟹养殖水质调控要点" and first["source"] == ARTICLE and first["score"] > 0
    assert first["url"] == reverse("training:article-detail", args=[library["both"].pk])
    assert "水质" in first["snippet"] and first["source_label"]
    assert {hit["source"] for hit in body["results"]} == {ARTICLE}
    assert "河蟹水质草稿" not in {hit["title"] for hit in body["results"]}


def test_the_api_answers_a_user_with_what_they_may_open(api_for, world, library, make_event):
    entry = make_knowledge(world, "河蟹水质发绿", "换水三分之一，泼洒底改")
    material(world, make_event, "河蟹水质讲义B", area="village_b1")
    results = api_for("county_admin").get(API, {"q": "河蟹水质"}).json()["results"]
    assert {hit["source"] for hit in results} == {ARTICLE, KNOWLEDGE}
    assert reverse("assistance:knowledge-detail", args=[entry.pk]) in {hit["url"] for hit in results}


@pytest.mark.parametrize("params", [{}, {"q": "   "}, {"q": "河蟹" * 51}])
def test_the_api_refuses_a_missing_blank_or_long_query(client, world, params):
    response = client.get(API, params)
    assert response.status_code == 400 and "q" in response.json()


def test_a_query_without_words_is_an_empty_answer(client, world, library):
    assert client.get(API, {"q": "的 了 吗"}).json()["results"] == []


def test_the_api_queries_a_constant_number_of_times(api_for, world, library, make_event, django_assert_max_num_queries):
    client = api_for("county_admin")
    client.get(API, {"q": "河蟹水质"})
    for n in range(5):
        make_article(world, f"河蟹水质第{n}讲", "<p>河蟹 水质</p>")
        make_knowledge(world, f"河蟹水质问题{n}", "换水")
        material(world, make_event, f"河蟹水质讲义{n}")
    with django_assert_max_num_queries(12):
        response = client.get(API, {"q": "河蟹水质"})
    assert len(response.json()["results"]) >= 15
