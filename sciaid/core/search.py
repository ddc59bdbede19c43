"""Chinese search over stored words and title pinyin: the one mechanism behind the knowledge search, the achievement
catalogue, the news lists and the product catalogue.

What a searchable model stores. Its jieba words (`sciaid.core.text.joined_tokens` of its title and text, space-joined,
kept by its services on every save), so the database never segments Chinese; and its title's pinyin and initials
(`sciaid.regions.services.pinyin_of`, Latin letters and digits kept: 皖稻68 → wandao68, wd68), so a reader typing
`hexie`, `hx` or `wd68` finds 河蟹养殖 or 皖稻68 by the start of its title.

How a search asks the database (decision, measured by bench/training_search.py at a million articles and by
bench/achievements.py and bench/market.py at 100,000 catalogue entries, news items and products). On PostgreSQL the
stored words go through full-text search with the 'simple' configuration (no stemming, no stop words: each stored
word is one lexeme, Chinese included under C.UTF-8), and a GIN index on exactly that expression answers it (one
`gin_indexes` call in the app's migration); the same for each pinyin field, where a prefix query (`hexie:*`) finds
the syllables typed so far. The indexes are not partial: ANALYZE keeps statistics of an index expression (how often
each word occurs), and the planner reads them only from a non-partial index. With them it picks per word: the GIN
index for a rare word, a sequential scan that stops after CANDIDATES rows for a word found in most rows (reading a
GIN posting list of 900,000 rows takes a quarter of a second; the scan finds 200 matches within the first few
hundred rows). SQLite (the embedded default, small data) runs the same queries with LIKE.

The candidate queries have no ORDER BY and a LIMIT of CANDIDATES: ordering by date or name made the planner walk that
index through every row for a word it could not find early. So BM25 (`sciaid.core.text.bm25_scores`) ranks the
capped candidate set exactly, not the whole collection: for a word in more than CANDIDATES rows the candidates are any
CANDIDATES of them. Rows holding every query word come first; only when fewer than CANDIDATES do, each word's own rows
top them up, rarest word first, so a stop-like word found in most rows ("技术") fills what is left instead of crowding
out the rows about the rare word the reader meant (each word's query is capped too, so its row count is the word's
document frequency up to CANDIDATES). An inverted-word table would do the same with more code and triggers to keep it
in step; a `LIKE '%word%'` scan reads every row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import reduce
from itertools import chain
from operator import and_, or_

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections, migrations
from django.db.models import BigIntegerField, Case, F, Func, IntegerField, Q, QuerySet, Value, When

from sciaid.core.text import bm25_scores, tokens

#: Rows each candidate query fetches at most before BM25 ranks them exactly.
CANDIDATES = 200
#: Results a ranked search returns at most (a list shows them 20 or so a page).
RESULTS = 200
#: The longest query words narrow the candidates; a pasted paragraph must not become a 60-word query.
NARROWING_WORDS = 8
#: A pinyin query: letters (and digits, where titles are named by number), at least two, a letter first.
PINYIN = re.compile(r"[a-z][a-z0-9]+")
LETTERS = re.compile(r"[a-z]{2,}")


def query_words(text: str) -> list[str]:
    """The distinct words of a query in the order typed: jieba's, without stop words and punctuation."""
    return list(dict.fromkeys(tokens(text)))


def narrowing_words(words: Sequence[str]) -> list[str]:
    """The longest NARROWING_WORDS of the distinct query words (longer words are rarer, so they narrow best)."""
    return sorted(dict.fromkeys(words), key=len, reverse=True)[:NARROWING_WORDS]


def pinyin_letters(text: str, *, digits: bool = False) -> str:
    """The query as pinyin ("He Xie" → "hexie"; with `digits`, "wan dao 68" → "wandao68"), or "" when it is not
    written in pinyin. Digits are for catalogues whose titles carry numbers (varieties, news issues); elsewhere a
    query such as "co2" is a word, not a title's syllables."""
    letters = "".join((text or "").lower().split())
    return letters if (PINYIN if digits else LETTERS).fullmatch(letters) else ""


def _is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def with_words(queryset: QuerySet, words: Sequence[str], field: str = "words") -> QuerySet:
    """Rows whose stored words hold every one of `words`: full-text on PostgreSQL (the expression of the GIN index,
    see the module docstring), LIKE elsewhere."""
    if _is_postgres(queryset):
        query = reduce(and_, (SearchQuery(word, config="simple", search_type="plain") for word in words))
        vector = f"{field}_fts"
        return queryset.alias(**{vector: SearchVector(field, config="simple")}).filter(**{vector: query})
    return queryset.filter(reduce(and_, (Q(**{f"{field}__contains": word}) for word in words)))


def with_pinyin(queryset: QuerySet, letters: str, fields: Sequence[str]) -> QuerySet:
    """Rows where one of the pinyin `fields` has a word starting with `letters` (letters and digits only, so safe
    to pass as a raw prefix query)."""
    if _is_postgres(queryset):
        query = SearchQuery(f"{letters}:*", config="simple", search_type="raw")
        vectors = {f"{field}_fts": SearchVector(field, config="simple") for field in fields}
        return queryset.alias(**vectors).filter(reduce(or_, (Q(**{vector: query}) for vector in vectors)))
    starts = (Q(**{f"{field}__startswith": letters}) | Q(**{f"{field}__contains": f" {letters}"}) for field in fields)
    return queryset.filter(reduce(or_, starts))


def candidates(
    queryset: QuerySet,
    words: Sequence[str],
    *,
    field: str = "words",
    columns: Sequence[str] = ("pk", "words"),
    limit: int = CANDIDATES,
) -> list[tuple]:
    """`columns` (the key first) of at most `limit` rows of `queryset` for the query `words`, in no order: those
    holding every narrowing word, topped up with each word's own rows, rarest word first (its capped row count is
    its document frequency)."""
    narrowing = narrowing_words(words)
    if not narrowing:
        return []
    base = queryset.order_by()
    found = {row[0]: row for row in with_words(base, narrowing, field).values_list(*columns)[:limit]}
    if len(found) == limit or len(narrowing) == 1:
        return list(found.values())
    by_rarity = sorted(
        (list(with_words(base, [word], field).values_list(*columns)[:limit]) for word in narrowing), key=len
    )
    for row in chain.from_iterable(by_rarity):
        if len(found) == limit:
            break
        found.setdefault(row[0], row)
    return list(found.values())


def pinyin_matches(
    queryset: QuerySet,
    letters: str,
    fields: Sequence[str],
    *,
    columns: Sequence[str] = ("pk",),
    limit: int = CANDIDATES,
) -> list[tuple]:
    """`columns` of at most `limit` rows whose title pinyin matches `letters`, in no order (capped like the word
    candidates; the caller orders these few)."""
    return list(with_pinyin(queryset.order_by(), letters, fields).values_list(*columns)[:limit])


def title_boost(title: str, query: Sequence[str]) -> list[str]:
    """The query words a title holds, once per occurrence, added to a document so that BM25 weighs a word in the
    title twice (the stored words hold the title's once). Counting the query words in the title does what segmenting
    it would, without running jieba on 200 candidate titles a search."""
    lowered = (title or "").lower()
    return [word for word in query for _ in range(lowered.count(word))]


def ranked_ids(
    queryset: QuerySet,
    text: str,
    *,
    pinyin: Sequence[str],
    title: str,
    words: str = "words",
    limit: int = RESULTS,
) -> list[int]:
    """Keys of the rows of `queryset` matching `text`, best first: for a query written in pinyin, the rows whose
    title pinyin (`pinyin` fields) matches, newest first; then BM25 over the stored `words` of the candidates, a word
    in the `title` counting twice."""
    letters = pinyin_letters(text, digits=True)
    hits = pinyin_matches(queryset, letters, pinyin, limit=CANDIDATES) if letters else []
    by_title = sorted((pk for (pk,) in hits), reverse=True)
    query = query_words(text)
    rows = candidates(queryset, query, field=words, columns=("pk", words, title), limit=CANDIDATES)
    scores = bm25_scores(query, {pk: stored.split() + title_boost(name, query) for pk, stored, name in rows})
    by_words = sorted((pk for pk, score in scores.items() if score > 0), key=lambda pk: (-scores[pk], -pk))
    return list(dict.fromkeys(by_title + by_words))[:limit]


def in_order(queryset: QuerySet, ids: Sequence[int]) -> QuerySet:
    """The rows of `ids`, in that order (none for no ids): what a FilterSet's search returns, so the page and the API
    list the best matches first. On PostgreSQL the order is one `array_position` over the ids: a CASE of 200
    branches took Django ~40 ms to compile, for the count and again for the page."""
    if not ids:
        return queryset.none()
    if _is_postgres(queryset):
        keys = Value(list(ids), output_field=ArrayField(BigIntegerField()))
        rank = Func(keys, F("pk"), function="array_position", output_field=IntegerField())
    else:
        rank = Case(*(When(pk=pk, then=position) for position, pk in enumerate(ids)), output_field=IntegerField())
    return queryset.filter(pk__in=ids).order_by(rank)


def ranked(queryset: QuerySet, text: str, *, pinyin: Sequence[str], title: str, words: str = "words") -> QuerySet:
    """`queryset` narrowed to the rows matching `text`, best first (see `ranked_ids`)."""
    return in_order(queryset, ranked_ids(queryset, text, pinyin=pinyin, title=title, words=words))


class SearchLastMixin:
    """For a FilterSet whose `q` is one of these searches: `q` runs after every other filter, so its capped
    candidates come from the rows the others keep (a word in 18,000 products still finds the best of the chosen
    category and price), and its order (best first) is the list's."""

    search_field = "q"

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == self.search_field):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset


def gin_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """The migration operation creating (and, backwards, dropping) the GIN indexes `{name: column}` of `table` on
    exactly the expression `with_words` and `with_pinyin` filter on, so the planner uses them. Not partial (see the
    module docstring). SQLite has no GIN: nothing to do there."""

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, column in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin (to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
            )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)
