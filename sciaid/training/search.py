"""One Chinese search over the knowledge base: published articles, assistance's published Q&A knowledge, and the
materials of the trainings a user may see.

How it ranks. Each source narrows its candidates in the database, then one BM25 pass (sciaid.core.text) scores
all candidates of all sources together, so an article and a Q&A entry are compared on the same word statistics and
the lists can be merged by score rather than interleaved blindly. Q&A entries come from
`sciaid.assistance.knowledge.search_knowledge` (its scoping and narrowing); their stored words are re-scored here.
A query written in pinyin letters ("hexie", initials "hxyz") also matches article titles by their stored
`title_pinyin`; those title hits come first, since the reader typed a title.

How it stays fast at a million articles: the shared stored-words search (`sciaid.core.search`, whose docstring
says why) narrows the articles: stored jieba `words` and `title_pinyin` (pinyin and initials of the title, one
field) behind GIN indexes on PostgreSQL (migration 0004_article_search_index), candidate queries with no ORDER BY
capped at CANDIDATES, articles holding every word first, then each word's own, rarest first. Measured by
bench/training_search.py: p95 under 60 ms at a million articles. Pinyin queries are letters only here ("co2" is a
word): article titles are not called by number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import capfirst

from sciaid.assistance.knowledge import search_knowledge
from sciaid.assistance.models import KnowledgeEntry
from sciaid.core.publishing import PublicationStatus
from sciaid.core.search import candidates, narrowing_words, pinyin_letters, pinyin_matches, query_words, title_boost
from sciaid.core.suggestions import Suggestion
from sciaid.core.text import bm25_scores, tokens
from sciaid.training.articles.models import Article
from sciaid.training.models import TrainingMaterial

ARTICLE, KNOWLEDGE, MATERIAL = "article", "knowledge", "material"
SOURCES = (ARTICLE, KNOWLEDGE, MATERIAL)
#: What an anonymous visitor may search: published articles only (Q&A and materials need a login to open).
PUBLIC_SOURCES = (ARTICLE,)
#: Candidates each source fetches before BM25 ranks them exactly.
CANDIDATES = 200
SNIPPET_CHARS = 90
#: The page each source's hit opens.
URL_NAMES = {
    ARTICLE: "training:article-detail",
    KNOWLEDGE: "assistance:knowledge-detail",
    MATERIAL: "training:material-file",
}


@dataclass(frozen=True)
class Hit:
    """One result: where it comes from, what to show and which page opens it (a URL name and the object's key,
    so templates link through `{% link %}`)."""

    source: str
    pk: int
    title: str
    snippet: str
    score: float

    @property
    def url_name(self) -> str:
        return URL_NAMES[self.source]

    @property
    def source_label(self) -> str:
        model = {ARTICLE: Article, KNOWLEDGE: KnowledgeEntry, MATERIAL: TrainingMaterial}[self.source]
        return capfirst(model._meta.verbose_name)


def published_articles() -> QuerySet:
    """Articles anyone may read: published ones, newest first."""
    return Article.objects.filter(status=PublicationStatus.PUBLISHED).order_by("-published_at", "-id")


def _searchable() -> QuerySet:
    """Published articles in no order: an ORDER BY would make the planner walk the date index instead of the words'
    (see `sciaid.core.search`)."""
    return Article.objects.filter(status=PublicationStatus.PUBLISHED).order_by()


def article_candidates(words: list[str]) -> list[tuple[int, str, str]]:
    """(pk, title, words) of at most CANDIDATES published articles for the query words (`core.search.candidates`)."""
    return candidates(_searchable(), words, columns=("pk", "title", "words"), limit=CANDIDATES)


def pinyin_articles(letters: str, limit: int) -> list[tuple[int, str]]:
    """(pk, title) of the newest `limit` of at most CANDIDATES articles whose title pinyin matches."""
    columns = ("pk", "title", "published_at")
    matches = pinyin_matches(_searchable(), letters, ["title_pinyin"], columns=columns, limit=CANDIDATES)
    newest = sorted(matches, key=lambda row: (row[2], row[0]), reverse=True)[:limit]
    return [(pk, title) for pk, title, _published in newest]


def material_candidates(user, words: list[str]) -> list[TrainingMaterial]:
    """Materials of the events the user may see whose title holds one of the words (no stored words: titles are
    short and the user's events few, so LIKE over the scoped rows is enough)."""
    if not words:
        return []
    matches = reduce(or_, (Q(title__contains=word) for word in words))
    return list(
        TrainingMaterial.objects.for_user(user)
        .filter(matches)
        .select_related("event")
        .only("title", "event__title", "event__starts_on")
        .order_by("-event__starts_on", "-pk")[:CANDIDATES]
    )


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> str:
    """Plain text around the first query word found (the beginning when none is)."""
    plain = " ".join(strip_tags(text or "").split())
    lowered = plain.lower()
    found = [position for position in (lowered.find(word) for word in words) if position >= 0]
    start = max(0, min(found) - size // 4) if found else 0
    piece = plain[start : start + size]
    return f"{'…' if start else ''}{piece}{'…' if start + size < len(plain) else ''}"


def _article_texts(pks: list[int]) -> dict[int, str]:
    """Summary or body of the articles shown (bodies are long: loaded for the few shown, not the candidates)."""
    rows = Article.objects.filter(pk__in=pks).values_list("pk", "summary", "body")
    return {pk: summary or body for pk, summary, body in rows}


def search(text: str, user, limit: int = 20, sources: tuple[str, ...] = SOURCES) -> list[Hit]:
    """The best `limit` hits for `text` the user may open, best first; anonymous visitors get articles only."""
    if not getattr(user, "is_authenticated", False):
        sources = tuple(source for source in sources if source in PUBLIC_SOURCES)
    query = query_words(text)
    letters = pinyin_letters(text) if ARTICLE in sources else ""
    if not query and not letters:
        return []
    words = narrowing_words(query)
    documents: dict[tuple[str, int], list[str]] = {}
    titles: dict[tuple[str, int], tuple[str, str]] = {}
    if ARTICLE in sources and words:
        for pk, title, stored in article_candidates(words):
            documents[ARTICLE, pk] = stored.split() + title_boost(title, query)
            titles[ARTICLE, pk] = (title, "")
    if KNOWLEDGE in sources:
        for entry, _score in search_knowledge(text, user, limit):
            documents[KNOWLEDGE, entry.pk] = entry.search_tokens.split() + title_boost(entry.title, query)
            titles[KNOWLEDGE, entry.pk] = (entry.title, entry.body)
    if MATERIAL in sources:
        for material in material_candidates(user, words):
            documents[MATERIAL, material.pk] = tokens(material.title) * 2
            event = material.event
            titles[MATERIAL, material.pk] = (material.title, f"{event.title} · {event.starts_on:%Y-%m-%d}")
    scores = bm25_scores(query, documents)
    ranked = sorted((key for key, score in scores.items() if score > 0), key=lambda key: (-scores[key], key))
    pinyin_hits = []
    for pk, title in pinyin_articles(letters, limit) if letters else []:
        pinyin_hits.append((ARTICLE, pk))
        titles[ARTICLE, pk] = (title, "")
    keys = list(dict.fromkeys(pinyin_hits + ranked))[:limit]
    texts = _article_texts([pk for source, pk in keys if source == ARTICLE])
    return [
        Hit(
            source,
            pk,
            titles[source, pk][0],
            snippet(texts.get(pk) or titles[source, pk][1], query),
            scores.get((source, pk), 0.0),
        )
        for source, pk in keys
    ]


def article_suggestions(user, text: str, limit: int) -> list[Suggestion]:
    """The suggester training registers (apps.py): published articles matching what a farmer types in a demand."""
    return [
        Suggestion(
            title=hit.title,
            url=reverse(hit.url_name, args=[hit.pk]),
            snippet=hit.snippet,
            source=hit.source_label,
            score=round(hit.score, 3),
        )
        for hit in search(text, user, limit, sources=(ARTICLE,))
    ]
