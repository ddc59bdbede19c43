"""The shared stored-words search (`sciaid.core.search`) on hand-made articles: rows holding every word first, the
rarest word's rows before a common word's when topping up, pinyin and initials of titles (digits kept), empty and
stop-word queries, the filter order of `SearchLastMixin`, and on PostgreSQL the GIN indexes it relies on. The same
tests run on SQLite (LIKE) and PostgreSQL (full-text): the results must be the same."""

from __future__ import annotations

import django_filters
import pytest
from django.db import connection

from sciaid.core.publishing import PublicationStatus
from sciaid.core.search import (
    SearchLastMixin,
    candidates,
    in_order,
    narrowing_words,
    pinyin_letters,
    pinyin_matches,
    ranked,
    ranked_ids,
)
from sciaid.training.articles.models import Article
from sciaid.training.tests.search_factories import make_article

FIELDS = {"pinyin": ("title_pinyin",), "title": "title"}


def published():
    return Article.objects.filter(status=PublicationStatus.PUBLISHED)


def titles(ids: list[int]) -> list[str]:
    names = dict(Article.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [names[pk] for pk in ids]


def test_rows_holding_every_word_come_first(world):
    make_article(world, "河蟹蜕壳期管理", "<p>河蟹蜕壳要点</p>")
    make_article(world, "河蟹养殖水质调控", "<p>河蟹池塘水质发绿时换水，水质要清</p>")
    make_article(world, "水稻田间管理", "<p>稻田灌溉注意水质</p>")
    make_article(world, "果树修剪", "<p>修剪时间</p>")
    found = titles(ranked_ids(published(), "河蟹水质", **FIELDS))
    assert found[0] == "河蟹养殖水质调控"
    assert set(found) == {"河蟹养殖水质调控", "河蟹蜕壳期管理", "水稻田间管理"}


def test_the_rarest_word_tops_up_the_capped_candidates_first(world):
    """No row holds both words: the rare word's row is a candidate although the common word alone fills the cap."""
    for n in range(5):
        make_article(world, f"果树第{n}讲", "<p>果树修剪技术</p>")
    rare = make_article(world, "河蟹蜕壳", "<p>蜕壳期少投喂</p>")
    rows = candidates(published(), ["技术", "蜕壳"], limit=3)
    assert len(rows) == 3 and rare.pk in {pk for pk, _words in rows}


def test_a_word_in_more_rows_than_the_cap_yields_the_capped_set(world):
    for n in range(4):
        make_article(world, f"水稻第{n}讲", "<p>水稻栽培</p>")
    assert len(candidates(published(), ["水稻"], limit=2)) == 2


def test_drafts_outside_the_queryset_are_never_found(world):
    make_article(world, "河蟹水质草稿", "<p>河蟹 水质</p>", status=PublicationStatus.DRAFT)
    assert ranked_ids(published(), "河蟹水质", **FIELDS) == []


@pytest.mark.parametrize("query", ["hexie", "HeXie", "he xie", "hxyz", "hexieyangzhi"])
def test_pinyin_and_initials_find_the_start_of_the_title(world, query):
    make_article(world, "河蟹养殖", "<p>养殖要点</p>")
    make_article(world, "水稻栽培", "<p>栽培要点</p>")
    assert titles(ranked_ids(published(), query, **FIELDS)) == ["河蟹养殖"]


def test_pinyin_matches_the_start_of_a_word_only(world):
    make_article(world, "富硒大米", "<p>大米</p>")
    assert titles(ranked_ids(published(), "fuxi", **FIELDS)) == ["富硒大米"]
    assert ranked_ids(published(), "xidami", **FIELDS) == []


@pytest.mark.parametrize(
    ("query", "found"),
    [("wandao68", ["皖稻68"]), ("wan dao 68", ["皖稻68"]), ("wd68", ["皖稻68"]), ("wd", ["皖稻153", "皖稻68"])],
)
def test_a_title_is_found_by_its_number_in_pinyin(world, query, found):
    make_article(world, "皖稻68", "<p>中籼迟熟水稻</p>")
    make_article(world, "皖稻153", "<p>中籼水稻</p>")
    assert titles(ranked_ids(published(), query, **FIELDS)) == found


def test_pinyin_hits_come_first_newest_first(world):
    older = make_article(world, "水稻1", "<p>栽培</p>")
    newer = make_article(world, "水稻2", "<p>栽培</p>")
    assert ranked_ids(published(), "shuidao", **FIELDS) == [newer.pk, older.pk]
    rows = pinyin_matches(published(), "sd", ["title_pinyin"], columns=("pk", "title"))
    assert sorted(rows) == [(older.pk, "水稻1"), (newer.pk, "水稻2")]


def test_pinyin_letters_keep_digits_only_when_asked():
    assert pinyin_letters(" He Xie ") == "hexie"
    assert pinyin_letters("co2") == "" and pinyin_letters("co2", digits=True) == "co2"
    assert pinyin_letters("68", digits=True) == pinyin_letters("河蟹", digits=True) == pinyin_letters("x") == ""


@pytest.mark.parametrize("query", ["", "   ", "的 了 吗", "？！"])
def test_a_query_without_words_finds_nothing(world, query):
    make_article(world, "河蟹养殖", "<p>的 了 吗</p>")
    assert ranked_ids(published(), query, **FIELDS) == []
    assert not ranked(published(), query, **FIELDS).exists()


def test_the_narrowing_words_are_the_longest_distinct_ones():
    words = ["的", "河蟹养殖", "水质", "河蟹养殖", *[f"词{n}" for n in range(10)]]
    narrowing = narrowing_words(words)
    assert narrowing[0] == "河蟹养殖" and len(narrowing) == 8 and len(set(narrowing)) == 8


def test_in_order_keeps_the_ranking(world):
    first, second = make_article(world, "甲"), make_article(world, "乙")
    assert list(in_order(published(), [second.pk, first.pk])) == [second, first]
    assert not in_order(published(), []).exists()


class ArticleFilter(SearchLastMixin, django_filters.FilterSet):
    """`q` declared first, as the apps do: the mixin runs it last."""

    q = django_filters.CharFilter(method="search")
    area = django_filters.NumberFilter(field_name="area_id")

    class Meta:
        model = Article
        fields = ["q", "area"]

    def search(self, queryset, name, value):
        return ranked(queryset, value, **FIELDS)


def test_the_search_runs_after_the_other_filters(world, monkeypatch):
    """More rows of county B match than the search's cap keeps; filtering county A finds county A's row."""
    for n in range(3):
        make_article(world, f"河蟹第{n}讲", "<p>河蟹</p>", area="county_b")
    own = make_article(world, "河蟹养殖", "<p>河蟹</p>", area="county_a")
    monkeypatch.setattr("sciaid.core.search.CANDIDATES", 2)
    found = ArticleFilter({"q": "河蟹", "area": world.areas["county_a"].pk}, queryset=published()).qs
    assert list(found) == [own]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")
def test_every_search_column_has_its_gin_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%fts"])
        names = {name for (name,) in cursor.fetchall()}
    assert {
        "training_article_words_fts",
        "training_article_pinyin_fts",
        "achv_words_fts",
        "achv_pinyin_fts",
        "achv_initials_fts",
        "info_news_words_fts",
        "info_news_pinyin_fts",
        "info_news_initials_fts",
        "market_product_words_fts",
        "market_product_pinyin_fts",
        "market_product_initials_fts",
    } <= names
