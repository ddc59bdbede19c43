"""The public catalogue search (`/achievements/?q=`) and the public news list search (`/news/?q=`), both the shared
stored-words search `sciaid.core.search`, at ~100,000 published achievements and ~100,000 published news items: the
rows bench/portal.py loads once per province, titled and described with the knowledge search's Zipf vocabulary. Each
query (a very common word down to a rare one, two words, pinyin) is timed through the test client for a visitor
without a login, beside the raw-SQL floor of the same reads in the same run; the target is p95 < 150 ms.

The floor is the search's own candidate SELECTs (`search_reads`: pinyin hits, the rows holding every word and, when
fewer than CANDIDATES do, each word's own; full-text on the GIN-indexed expressions, no order, capped) plus the
first page's rows. Once per run the plans of the catalogue's first candidate SELECT are printed (EXPLAIN ANALYZE),
which say where its time goes. The news titles start with the generator's marker, so their pinyin starts with it
too: news is measured with Chinese queries.

`python -m bench --only achievements` measures these alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.test import Client

from bench.commissioners import floor, page
from bench.measure import WARMUP, Row, compare, raw
from bench.portal import PortalPlan, zipf
from sciaid.core.search import CANDIDATES, narrowing_words, pinyin_letters, query_words

#: Rows of the public lists' first page (PublicAchievementListView, PublicNewsListView).
PAGE_ROWS = 20
PUBLISHED = "status = 'published'"
ACHIEVEMENT_PAGE_SQL = (
    "SELECT a.id, a.title, a.kind, a.owner, a.maturity, a.transfer_modes, a.price_guide, a.description, "
    "a.published_on, a.title_pinyin, r.name, r.code FROM achievements_achievement a "
    "JOIN regions_area r ON r.id = a.area_id WHERE a.id = ANY(%s)"
)
NEWS_PAGE_SQL = (
    "SELECT n.id, n.title, n.category, n.published_on, r.name, r.code FROM information_newsitem n "
    "JOIN regions_area r ON r.id = n.area_id WHERE n.id = ANY(%s)"
)


def vector(column: str) -> str:
    """The expression of a search GIN index (`sciaid.core.search.gin_indexes`)."""
    return f"to_tsvector('simple'::regconfig, COALESCE({column}, ''))"


def pinyin_match(columns: Sequence[str], letters: str) -> tuple[str, list]:
    """Rows where one of the pinyin `columns` has a word starting with `letters`."""
    match = " OR ".join(f"{vector(column)} @@ to_tsquery('simple'::regconfig, %s)" for column in columns)
    return f"({match})", [f"{letters}:*"] * len(columns)


def words_match(column: str, words: Sequence[str]) -> tuple[str, list]:
    """Rows whose stored words (`column`) hold every one of `words`."""
    match = " && ".join(["plainto_tsquery('simple'::regconfig, %s)"] * len(words)) or "''::tsquery"
    return f"{vector(column)} @@ ({match})", list(words)


@dataclass(frozen=True)
class Searched:
    """What a search reads, in raw SQL: `source` is its FROM … WHERE clause (with `params`), the rest its columns."""

    source: str
    params: tuple = ()
    key: str = "id"
    words: str = "words"
    title: str = "title"
    pinyin: tuple[str, ...] = ("title_pinyin", "title_initials")

    def reads(self, text: str) -> list[tuple[str, list]]:
        """The SELECTs `sciaid.core.search.ranked_ids` issues for `text`: pinyin hits (a Latin query), the rows
        holding every narrowing word and, when fewer than CANDIDATES do, each word's own (no order, capped)."""
        reads = []
        letters = pinyin_letters(text, digits=True)
        if letters:
            match, args = pinyin_match(self.pinyin, letters)
            reads.append((f"SELECT {self.key} {self.source} AND {match} LIMIT {CANDIDATES}", [*self.params, *args]))
        narrowing = narrowing_words(query_words(text))
        groups = [narrowing]
        if len(narrowing) > 1 and len(raw(*self.words_select(narrowing))()) < CANDIDATES:
            groups += [[word] for word in narrowing]
        return reads + [self.words_select(group) for group in groups if group]

    def words_select(self, words: Sequence[str]) -> tuple[str, list]:
        match, args = words_match(self.words, words)
        columns = f"{self.key}, {self.words}, {self.title}"
        return f"SELECT {columns} {self.source} AND {match} LIMIT {CANDIDATES}", [*self.params, *args]

    def first_page(self, text: str, rows: int) -> list[int]:
        """Keys of a page's worth of the candidates (the rows the floor's page read loads)."""
        found = dict.fromkeys(row[0] for sql, args in self.reads(text) for row in raw(sql, args)())
        return list(found)[:rows]

    def matches(self, text: str) -> int:
        """How many rows hold every word of `text` (or, for pinyin, whose title pinyin matches it)."""
        letters = pinyin_letters(text, digits=True)
        match, args = pinyin_match(self.pinyin, letters) if letters else words_match(self.words, query_words(text))
        (count,) = raw(f"SELECT count(*) {self.source} AND {match}", [*self.params, *args], "one")()
        return count


CATALOGUE = Searched(f"FROM achievements_achievement WHERE {PUBLISHED}")
NEWS = Searched(f"FROM information_newsitem WHERE {PUBLISHED}")


def queries() -> list[tuple[str, str]]:
    """(kind, text): from a word in a quarter of the titles to one in a handful, two words, and pinyin."""
    words, _weights, pinyin = zipf()
    return [
        ("very common word", words[0]),
        ("common word", words[20]),
        ("mid word", words[200]),
        ("rare word", words[2000]),
        ("two words", f"{words[6]}{words[7]}"),
        ("pinyin of a title word", pinyin[words[6]][0]),
    ]


def explain(text: str) -> str:
    """EXPLAIN ANALYZE of the catalogue's first candidate SELECT for `text`, indented for the log."""
    sql, params = CATALOGUE.reads(text)[0]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(f"    {line}" for (line,) in cursor.fetchall())


def measure_achievements(plan: PortalPlan, repeat: int, log=print) -> list[Row]:
    """One row per query for the catalogue and the news list (news: Chinese queries only, see the docstring)."""
    client = Client()  # a visitor without a login
    rows = []
    lists = (
        ("catalogue search", "/achievements/", CATALOGUE, ACHIEVEMENT_PAGE_SQL, plan.achievements),
        ("news list search", "/news/", NEWS, NEWS_PAGE_SQL, plan.news),
    )
    for label, url, searched, page_sql, total in lists:
        for kind, text in queries():
            if searched is NEWS and pinyin_letters(text, digits=True):
                continue
            base = floor([*searched.reads(text), (page_sql, [searched.first_page(text, PAGE_ROWS)])])
            cases = [(page(client, url, {"q": text}), base)] * (repeat + WARMUP)
            size = f"{searched.matches(text):,} of {total:,}"
            rows.append(compare(f"{label} (public): {kind}", size, cases, note=f"{text}; target p95 < 150 ms"))
    for kind, text in (queries()[0], queries()[3]):
        log(f"\nCatalogue candidate SELECT, {kind} ({text}):\n{explain(text)}")
    return rows


__all__ = ["Searched", "measure_achievements", "queries"]
