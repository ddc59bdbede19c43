"""The public catalogue search (`/achievements/?q=`, `sciaid.achievements.search`) and the public news list search
(`/news/?q=`) at ~100,000 published achievements and ~100,000 published news items: the rows bench/portal.py loads
once per province, titled and described with the knowledge search's Zipf vocabulary. Each query (a very common word
down to a rare one, two words, pinyin) is timed through the test client for a visitor without a login, beside the
raw-SQL floor of the same reads in the same run; the target is p95 < 150 ms.

The catalogue's floor is the search's own narrowing SELECT (stored words LIKE '%word%', newest 500) plus the page's
rows; the news floor is the capped COUNT and the first page of the title match. Once per run the plan of the
catalogue's narrowing SELECT is printed (EXPLAIN ANALYZE), which says where its time goes.

`python -m bench --only achievements` measures these alone.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client

from bench.commissioners import floor, page
from bench.measure import WARMUP, Row, compare, raw
from bench.portal import PortalPlan, zipf
from sciaid.achievements.search import CANDIDATE_LIMIT, KEY_WORDS, RESULT_LIMIT, pinyin_query
from sciaid.core.pagination import COUNT_CAP
from sciaid.experts.text import tokens

#: Rows of the public lists' first page (PublicAchievementListView, PublicNewsListView).
PAGE_ROWS = 20
PUBLISHED = "status = 'published'"
ACHIEVEMENT_PAGE_SQL = (
    "SELECT a.id, a.title, a.kind, a.owner, a.maturity, a.transfer_modes, a.price_guide, a.description, "
    "a.published_on, a.title_pinyin, r.name, r.code FROM achievements_achievement a "
    "JOIN regions_area r ON r.id = a.area_id WHERE a.id = ANY(%s)"
)
PINYIN_SQL = (
    f"SELECT id FROM achievements_achievement WHERE {PUBLISHED} AND (title_initials LIKE %s OR title_pinyin LIKE %s) "
    f"ORDER BY title_pinyin, id LIMIT {RESULT_LIMIT}"
)
NEWS_MATCH = f"FROM information_newsitem n WHERE n.{PUBLISHED} AND n.title ILIKE %s"
NEWS_COUNT_SQL = f"SELECT count(*) FROM (SELECT 1 {NEWS_MATCH} LIMIT {COUNT_CAP + 1}) capped"
NEWS_PAGE_SQL = (
    "SELECT n.id, n.title, n.category, n.published_on, r.name, r.code FROM information_newsitem n "
    f"JOIN regions_area r ON r.id = n.area_id WHERE n.{PUBLISHED} AND n.title ILIKE %s "
    f"ORDER BY n.published_on DESC, n.id DESC LIMIT {PAGE_ROWS}"
)


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


def narrowing_sql(text: str) -> tuple[str, list]:
    """The catalogue search's candidate SELECT (`sciaid.achievements.search.narrow`) in raw SQL."""
    keys = sorted(set(tokens(text)), key=len, reverse=True)[:KEY_WORDS]
    matches = " OR ".join(["words LIKE %s"] * len(keys)) or "false"
    sql = (
        f"SELECT id, words FROM achievements_achievement WHERE {PUBLISHED} AND ({matches}) "
        f"ORDER BY id DESC LIMIT {CANDIDATE_LIMIT}"
    )
    return sql, [f"%{key}%" for key in keys]


def achievement_floor(text: str):
    """The reads the catalogue page cannot do without: pinyin hits (for a Latin query), the narrowing SELECT, and
    the page's rows."""
    sql, params = narrowing_sql(text)
    candidates = raw(sql, params)()
    reads = [(sql, params), (ACHIEVEMENT_PAGE_SQL, [[pk for pk, _words in candidates[:PAGE_ROWS]]])]
    letters = pinyin_query(text)
    if letters:
        reads.insert(0, (PINYIN_SQL, [f"{letters}%", f"%{letters}%"]))
    return floor(reads)


def achievement_matches(text: str) -> int:
    words = tokens(text)
    every = " AND ".join(["words LIKE %s"] * len(words)) or "false"
    (count,) = raw(
        f"SELECT count(*) FROM achievements_achievement WHERE {PUBLISHED} AND ({every})",
        [f"%{word}%" for word in words],
        "one",
    )()
    letters = pinyin_query(text)
    if letters:
        sql = f"SELECT count(*) FROM achievements_achievement WHERE {PUBLISHED} AND title_pinyin LIKE %s"
        (count,) = raw(sql, [f"%{letters}%"], "one")()
    return count


def explain(text: str) -> str:
    """EXPLAIN ANALYZE of the catalogue's narrowing SELECT for `text`, indented for the log."""
    sql, params = narrowing_sql(text)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(f"    {line}" for (line,) in cursor.fetchall())


def measure_achievements(plan: PortalPlan, repeat: int, log=print) -> list[Row]:
    """One row per query for the catalogue and the news list (news: Chinese queries only, it matches titles)."""
    client = Client()  # a visitor without a login
    rows = []
    for kind, text in queries():
        cases = [(page(client, "/achievements/", {"q": text}), achievement_floor(text))] * (repeat + WARMUP)
        size = f"{achievement_matches(text):,} of {plan.achievements:,}"
        note = f"{text}; target p95 < 150 ms"
        rows.append(compare(f"catalogue search (public): {kind}", size, cases, note=note))
    for kind, text in queries():
        if pinyin_query(text):
            continue
        pattern = [f"%{text}%"]
        (count,) = raw(f"SELECT count(*) {NEWS_MATCH}", pattern, "one")()
        base = floor([(NEWS_COUNT_SQL, pattern), (NEWS_PAGE_SQL, pattern)])
        cases = [(page(client, "/news/", {"q": text}), base)] * (repeat + WARMUP)
        note = f"{text}; target p95 < 150 ms"
        rows.append(compare(f"news list search (public): {kind}", f"{count:,} of {plan.news:,}", cases, note=note))
    for kind, text in (queries()[0], queries()[3]):
        log(f"\nCatalogue narrowing SELECT, {kind} ({text}):\n{explain(text)}")
    return rows


__all__ = ["measure_achievements", "queries"]
