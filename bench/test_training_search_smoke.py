"""The knowledge-search benchmark end to end at a tiny size: articles load once under their marker, the search finds
them through the GIN indexes, and every measurement row runs (PostgreSQL: the generator loads with COPY). Its
premise, that every query segments into words the generator stores, holds on any database."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.generate import ensure_dataset
from bench.test_bench_smoke import TINY
from bench.training_search import SearchPlan, ensure_training_search, measure_training_search, queries, vocabulary
from sciaid.core.text import tokens
from sciaid.training.articles.models import Article
from sciaid.training.search import pinyin_letters, search


def test_every_query_is_made_of_stored_words_or_pinyin():
    stored = set(vocabulary())
    for _kind, text in queries():
        assert pinyin_letters(text) or set(tokens(text)) <= stored, text


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generator loads data with COPY")
@pytest.mark.django_db(transaction=True)
def test_it_loads_articles_once_and_measures_the_search():
    plan = SearchPlan(articles=1_000)
    dataset = ensure_dataset(TINY, log=lambda line: None)
    seconds, generated = ensure_training_search(plan, dataset.plan.key, log=lambda line: None)
    assert generated and Article.objects.filter(status="published").count() >= plan.articles
    assert not ensure_training_search(plan, dataset.plan.key, log=lambda line: None)[1]
    assert search(queries()[0][1], None), "the most common word must be found"
    rows = measure_training_search(seconds, generated, plan, repeat=2)
    assert [row.measurement for row in rows][1:] == [
        f"knowledge search, {user}: {kind}" for kind, _text in queries() for user in ("anonymous", "county admin")
    ]
    assert all(row.p50 and row.baseline for row in rows[1:])
