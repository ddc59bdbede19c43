"""Catalogue search: Chinese words (jieba + BM25 over the stored `words`) and pinyin or initials of titles.

The database first narrows the catalogue to candidates (`narrow`): entries whose stored words contain one of the
query's longest words, at most CANDIDATE_LIMIT of them, reading only their key and words. BM25 then ranks those
exactly in Python. `narrow` is the one place that knows how the database is asked, so a shared full-text mechanism
(PostgreSQL's, when the platform has one) can replace the LIKE scan without touching the ranking.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from sciaid.experts.text import bm25_scores, tokens
from sciaid.regions.services import pinyin_of

#: Candidates ranked by BM25 at most, and results returned at most.
CANDIDATE_LIMIT = 500
RESULT_LIMIT = 200
#: The query's longest words the narrowing looks for (longer words are rarer, so they narrow best).
KEY_WORDS = 6
PINYIN = re.compile(r"[a-z0-9]+")
HANZI_RUNS = re.compile(r"[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+")


def title_pinyin(title: str) -> tuple[str, str]:
    """Full pinyin and initials of a title, keeping its Latin letters and digits: 皖稻68 → ("wandao68", "wd68"), so
    a variety is found by the number people call it by."""
    full, initials = [], []
    for run in HANZI_RUNS.findall(title or ""):
        if "\u4e00" <= run[0] <= "\u9fff":
            pinyin, first = pinyin_of(run)
        else:
            pinyin = first = re.sub(r"[\W_]+", "", run).lower()
        full.append(pinyin)
        initials.append(first)
    return "".join(full), "".join(initials)


def narrow(queryset: QuerySet, query_words: list[str], limit: int = CANDIDATE_LIMIT) -> list[tuple[int, str]]:
    """(pk, words) of at most `limit` rows whose stored words contain one of the query's longest words."""
    keys = sorted(set(query_words), key=len, reverse=True)[:KEY_WORDS]
    if not keys:
        return []
    matches = Q()
    for word in keys:
        matches |= Q(words__contains=word)
    return list(queryset.filter(matches).order_by("-id").values_list("pk", "words")[:limit])


def pinyin_query(query: str) -> str:
    """The query as pinyin (`wan dao 68` → `wandao68`), or "" when it is not plain Latin letters and digits."""
    letters = re.sub(r"\s+", "", query).lower()
    return letters if PINYIN.fullmatch(letters) else ""


def ranked_ids(queryset: QuerySet, query: str, limit: int = RESULT_LIMIT) -> list[int]:
    """Keys of the rows of `queryset` matching `query`, best first: pinyin or initials hits of the title first (for
    a Latin query), then BM25 over the stored words."""
    found: list[int] = []
    letters = pinyin_query(query)
    if letters:
        hits = queryset.filter(Q(title_initials__startswith=letters) | Q(title_pinyin__contains=letters))
        found = list(hits.order_by("title_pinyin", "id").values_list("pk", flat=True)[:limit])
    words = tokens(query)
    candidates = narrow(queryset, words)
    scores = bm25_scores(words, {pk: text.split() for pk, text in candidates})
    seen = set(found)
    by_text = sorted(
        (pk for pk, score in scores.items() if score > 0 and pk not in seen), key=lambda pk: (-scores[pk], -pk)
    )
    return (found + by_text)[:limit]
