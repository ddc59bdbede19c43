"""The portal's generator and the catalogue and news search benchmark at a tiny size: achievements, news and
demonstration sites (with their yearly figures) load once under their marker, the searches find the generated rows,
and every measurement row runs (PostgreSQL: the sites load with COPY). Its premise, that every query segments into
stored words or is pinyin, holds on any database."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.achievements import measure_achievements, queries
from bench.generate import ensure_dataset
from bench.portal import SITE_YEARS, PortalPlan, ensure_portal, zipf
from bench.test_bench_smoke import TINY
from sciaid.achievements.services import public_achievements
from sciaid.core.search import pinyin_letters, ranked_ids
from sciaid.core.text import tokens
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.demonstration.services import public_sites


def test_every_query_is_made_of_stored_words_or_pinyin():
    stored = set(zipf()[0])
    for _kind, text in queries():
        assert pinyin_letters(text, digits=True) or set(tokens(text)) <= stored, text


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generator loads data with COPY")
@pytest.mark.django_db
def test_it_loads_the_portal_once_and_measures_both_searches():
    plan = PortalPlan(achievements=500, news=500, sites=40)
    ensure_dataset(TINY, log=lambda line: None)
    assert ensure_portal(plan, TINY.key, log=lambda line: None)[1]
    assert not ensure_portal(plan, TINY.key, log=lambda line: None)[1]
    assert public_sites().count() == DemoSite.objects.count() == plan.sites
    assert SiteFigures.objects.count() == plan.sites * len(SITE_YEARS)
    found = ranked_ids(public_achievements(), queries()[0][1], pinyin=("title_pinyin",), title="title")
    assert found, "the most common word must be found"

    lines: list[str] = []
    rows = measure_achievements(plan, repeat=2, log=lines.append)
    chinese = [kind for kind, text in queries() if not pinyin_letters(text, digits=True)]
    assert [row.measurement for row in rows] == [
        *(f"catalogue search (public): {kind}" for kind, _text in queries()),
        *(f"news list search (public): {kind}" for kind in chinese),
    ]
    assert all(row.p50 and row.baseline for row in rows)
    assert all("achievements_achievement" in line for line in lines), "the plans of the candidate SELECT"
