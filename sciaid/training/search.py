"""One Chinese search over the knowledge base: published articles, assistance's published Q&A knowledge, and the
materials of the trainings a user may see.

How it ranks. Each source narrows its candidates in the database, then one BM25 pass (sciaid.experts.text) scores
all candidates of all sources together, so an article and a Q&A entry are compared on the same word statistics and
the lists can be merged by score rather than interleaved blindly. Q&A entries come from
`sciaid.assistance.knowledge.search_knowledge` (its scoping and narrowing); their stored words are re-scored here.
A query written in pinyin letters ("hexie", initials "hxyz") also matches article titles by their stored
`title_pinyin`; those title hits come first, since the reader typed a title.

How it stays fast at a million articles (decision, measured by bench/training_search.py). Articles store their
jieba words (`words`, space-joined), so the database never segments Chinese. On PostgreSQL those words go through
full-text search with the 'simple' configuration (no stemming, no stop words: each stored word is one lexeme,
Chinese included under C.UTF-8) and a GIN index on exactly that expression (migration 0004_article_search_index);
the same for the title's pinyin, where a prefix query (`hexie:*`) finds the syllables a reader has typed so far.
The indexes are not partial: ANALYZE keeps statistics of an index expression (how often each word occurs), and the
planner reads them only from a non-partial index. With them it picks per word: the GIN index for a rare word, a
sequential scan that stops after CANDIDATES rows for a word in most articles (reading a GIN posting list of 900,000
rows takes a quarter of a second; the scan finds 200 matches within the first few hundred rows). A stored tsvector
column would spare the scan's to_tsvector (~40 µs a row) but is not needed: p95 stays under 60 ms at a million.

The candidate queries have no ORDER BY and a LIMIT of CANDIDATES: ordering by date made the planner walk the date
index through a million rows for a word it could not find early. So BM25 ranks the capped candidate set exactly,
not the whole collection: for a word in more than CANDIDATES articles the candidates are any CANDIDATES of them.
Articles holding every query word come first; only when fewer than CANDIDATES do, each word's own articles top them
up, rarest word first, so a stop-like word found in most articles ("技术") fills what is left instead of crowding out
the articles about the rare word the reader meant (each word's query is capped too, so its row count is the word's
document frequency up to CANDIDATES). An inverted-word table would do the same with more code, triggers to keep it
in step and a larger footprint; a `LIKE '%word%'` scan reads all rows. SQLite (the embedded default, small data)
runs the same queries with `LIKE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from itertools import chain
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import capfirst

from sciaid.assistance.knowledge import search_knowledge
from sciaid.assistance.models import KnowledgeEntry
from sciaid.core.publishing import PublicationStatus
from sciaid.core.suggestions import Suggestion
from sciaid.experts.text import bm25_scores, tokens
from sciaid.training.articles.models import Article
from sciaid.training.models import TrainingMaterial

ARTICLE, KNOWLEDGE, MATERIAL = "article", "knowledge", "material"
SOURCES = (ARTICLE, KNOWLEDGE, MATERIAL)
#: What an anonymous visitor may search: published articles only (Q&A and materials need a login to open).
PUBLIC_SOURCES = (ARTICLE,)
#: Candidates each source fetches before BM25 ranks them exactly.
CANDIDATES = 200
#: The longest query words narrow the candidates; a pasted paragraph must not become a 60-word OR.
NARROWING_WORDS = 8
#: A pinyin query: letters only (spaces between syllables are dropped), at least two.
PINYIN = re.compile(r"[a-z]{2,}")
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


def pinyin_letters(text: str) -> str:
    """The query as pinyin letters ("He Xie" → "hexie"), or "" when it is not written in pinyin."""
    letters = "".join((text or "").lower().split())
    return letters if PINYIN.fullmatch(letters) else ""


def narrowing_words(query: list[str]) -> list[str]:
    return sorted(query, key=len, reverse=True)[:NARROWING_WORDS]


def _is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _with_words(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Rows whose stored `words` hold every one of `words`: full-text on PostgreSQL (the expression of the GIN index,
    see the module docstring), LIKE elsewhere."""
    if _is_postgres(queryset):
        query = reduce(and_, (SearchQuery(word, config="simple", search_type="plain") for word in words))
        return queryset.alias(word_vector=SearchVector("words", config="simple")).filter(word_vector=query)
    return queryset.filter(reduce(and_, (Q(words__contains=word) for word in words)))


def _with_pinyin(queryset: QuerySet, letters: str) -> QuerySet:
    """Rows whose title pinyin (full syllables or initials) starts a word with `letters` (letters only, so safe to
    pass as a raw prefix query)."""
    if _is_postgres(queryset):
        query = SearchQuery(f"{letters}:*", config="simple", search_type="raw")
        return queryset.alias(pinyin_vector=SearchVector("title_pinyin", config="simple")).filter(pinyin_vector=query)
    return queryset.filter(title_pinyin__contains=letters)


def published_articles() -> QuerySet:
    """Articles anyone may read: published ones, newest first."""
    return Article.objects.filter(status=PublicationStatus.PUBLISHED).order_by("-published_at", "-id")


def _searchable(*fields: str) -> QuerySet:
    """Published articles in no order: an ORDER BY would make the planner walk the date index instead of the words'
    (see the module docstring)."""
    return Article.objects.filter(status=PublicationStatus.PUBLISHED).order_by().only(*fields)


def article_candidates(words: list[str]) -> list[Article]:
    """At most CANDIDATES published articles: those holding every word, topped up with each word's own articles,
    rarest word first (its capped row count is its document frequency)."""
    base = _searchable("title", "words")
    found = {article.pk: article for article in _with_words(base, words)[:CANDIDATES]}
    if len(found) == CANDIDATES or len(words) == 1:
        return list(found.values())
    by_rarity = sorted((list(_with_words(base, [word])[:CANDIDATES]) for word in words), key=len)
    for article in chain.from_iterable(by_rarity):
        if len(found) == CANDIDATES:
            break
        found.setdefault(article.pk, article)
    return list(found.values())


def pinyin_articles(letters: str, limit: int) -> list[Article]:
    """The newest `limit` of at most CANDIDATES articles whose title pinyin matches (capped, unordered in SQL, like
    the word candidates)."""
    matches = list(_with_pinyin(_searchable("title", "published_at"), letters)[:CANDIDATES])
    return sorted(matches, key=lambda article: (article.published_at, article.pk), reverse=True)[:limit]


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


def title_boost(title: str, query: list[str]) -> list[str]:
    """The query words a title holds, once per occurrence, added to a document so that BM25 weighs a word in the
    title twice (the stored words include the title's once). Counting the query words in the title does what
    segmenting it would, without running jieba on 200 candidate titles a search (3/4 of its time at a million)."""
    lowered = title.lower()
    return [word for word in query for _ in range(lowered.count(word))]


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
    query = list(dict.fromkeys(tokens(text)))
    letters = pinyin_letters(text) if ARTICLE in sources else ""
    if not query and not letters:
        return []
    words = narrowing_words(query)
    documents: dict[tuple[str, int], list[str]] = {}
    titles: dict[tuple[str, int], tuple[str, str]] = {}
    if ARTICLE in sources and words:
        for article in article_candidates(words):
            documents[ARTICLE, article.pk] = article.words.split() + title_boost(article.title, query)
            titles[ARTICLE, article.pk] = (article.title, "")
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
    for article in pinyin_articles(letters, limit) if letters else []:
        pinyin_hits.append((ARTICLE, article.pk))
        titles[ARTICLE, article.pk] = (article.title, "")
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
