"""The knowledge-base search at a million articles: ~1,000,000 published articles (jieba-style stored words with a
Zipf-like vocabulary, pinyin titles) loaded with COPY once per plan, then `sciaid.training.search.search` measured
for an anonymous visitor (articles) and a county admin (articles, Q&A knowledge, materials) over a fixed set of
queries (a very common word, middling and rare ones, two-word queries, pinyin), one row per query and user, each
beside its raw-SQL floor: the candidate SELECT on the GIN full-text index that the search itself runs first.

`python -m bench --only training_search` measures these alone. The articles belong to the user `bench_search_author`
and are recorded in the marker table `bench_training_search`, so a run at the same scale reuses them and another
scale replaces them.
"""

from __future__ import annotations

import importlib
import random
import time
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone

from bench.assistance import next_id, reset_sequence
from bench.generate import PROVINCE_CODE, CopyWriter, bench_users, bounds, marker_seconds
from bench.measure import WARMUP, Row, compare, raw
from sciaid.accounts.models import User
from sciaid.core.publishing import PublicationStatus
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.regions.services import pinyin_of
from sciaid.training.articles.models import Article
from sciaid.training.search import CANDIDATES, pinyin_letters, search

SEED = 2024
MARKER_TABLE = "bench_training_search"
AUTHOR = "bench_search_author"
#: The search's GIN indexes: dropped during the load and built once after it (faster than row by row).
INDEX_MIGRATION = "sciaid.training.migrations.0004_article_search_index"
#: Words farmers use most, most frequent first; a synthetic long tail follows them.
_COMMON_TEXT = """
养殖 种植 技术 管理 防治 病虫害 河蟹 水质 水稻 小麦 玉米 施肥 果树 修剪 嫁接 生猪 饲料 鱼病 池塘 蔬菜 大棚
茶叶 土壤 灌溉 品种 育苗 鸡 鸭 牛 羊 蜜蜂 食用菌 中药材 油菜 大豆 花生 棉花 红薯 马铃薯 西瓜 草莓 葡萄 猕猴桃
柑橘 桃树 梨树 苹果 板栗 核桃 茶园 稻虾 龙虾 黄鳝 泥鳅 甲鱼 鳜鱼 草鱼 鲫鱼 蟹苗 虾苗 疫苗 消毒 驱虫 防疫
仔猪 母猪 奶牛 肉牛 山羊 兔 鹅 鸽子 秸秆 沼气 农药 化肥 有机肥 地膜 滴灌 烘干 储藏 保鲜 电商 销售 合作社
"""
COMMON_WORDS = tuple(_COMMON_TEXT.split())
#: Characters of the synthetic long tail (two each, CJK code points spread over the common block).
CHARS = [chr(0x4E00 + 19 * i) for i in range(1000)]
VOCABULARY = 20_000
TITLE_WORDS = 4
BODY_WORDS = 24


@dataclass(frozen=True)
class SearchPlan:
    articles: int

    @classmethod
    def for_scale(cls, scale: float) -> SearchPlan:
        return cls(max(1_000, round(1_000_000 * scale)))

    @property
    def key(self) -> str:
        return f"articles={self.articles}"


@cache
def vocabulary() -> list[str]:
    """The words, most frequent first: the common ones, then synthetic two-character words."""
    from sciaid.core.text import tokens

    # Only words jieba keeps whole: the stored words must be what the search segments a query into.
    synthetic = (a + b for a in CHARS for b in CHARS if a != b)
    whole = (word for word in synthetic if tokens(word) == [word])
    words = list(dict.fromkeys(COMMON_WORDS))
    for word in whole:
        if len(words) >= VOCABULARY:
            break
        if word not in words:
            words.append(word)
    return words


def loaded_seconds(key: str) -> float | None:
    return marker_seconds(MARKER_TABLE, key)


def remove_training_search() -> None:
    """Drop the articles an earlier plan loaded (idempotent)."""
    loaded_seconds("")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM training_article WHERE author_id IN (SELECT id FROM accounts_user WHERE username = %s)",
            [AUTHOR],
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


def ensure_training_search(plan: SearchPlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load `plan`'s articles unless already loaded; (seconds it took, generated now)."""
    key = f"{province_key};{plan.key}"
    seconds = loaded_seconds(key)
    if seconds is not None:
        return seconds, False
    # The migration's one operation (`core.search.gin_indexes`): its code creates the indexes, its reverse drops them.
    index = importlib.import_module(INDEX_MIGRATION).Migration.operations[0]
    started = time.perf_counter()
    with transaction.atomic(), connection.schema_editor(atomic=False) as editor:
        remove_training_search()
        index.reverse_code(None, editor)
        ArticleGenerator(plan, log).load()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [key, 0])
    # After the commit: PostgreSQL builds no index over rows with pending foreign-key checks.
    built = time.perf_counter()
    with connection.schema_editor() as editor:
        index.code(None, editor)
    log(f"  search indexes built in {time.perf_counter() - built:.1f} s")
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {MARKER_TABLE} SET seconds = %s WHERE plan = %s", [seconds, key])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE training_article")
    return seconds, True


class ArticleGenerator:
    def __init__(self, plan: SearchPlan, log=print):
        self.plan, self.log, self.rng = plan, log, random.Random(SEED)
        self.words = vocabulary()
        # Zipf's law: the word of rank r is used in proportion to 1 / r.
        self.weights = list(accumulate(1 / rank for rank in range(1, len(self.words) + 1)))
        self.pinyin = {word: pinyin_of(word) for word in self.words}
        low, high = bounds(PROVINCE_CODE)
        self.areas = list(
            Area.objects.filter(level=AreaLevel.COUNTY, code__range=(low, high)).values_list("pk", flat=True)
        )

    def load(self) -> None:
        started = time.perf_counter()
        author, _ = User.objects.get_or_create(username=AUTHOR)
        first = next_id("training_article")
        writer = CopyWriter(Article, ["id"])
        rng, words, weights = self.rng, self.words, self.weights
        now = timezone.now()

        def lines():
            for n in range(self.plan.articles):
                title = rng.choices(words, cum_weights=weights, k=TITLE_WORDS)
                body = rng.choices(words, cum_weights=weights, k=BODY_WORDS)
                syllables = "".join(self.pinyin[word][0] for word in title)
                initials = "".join(self.pinyin[word][1] for word in title)
                yield writer.line(
                    {
                        "id": first + n,
                        "title": "".join(title),
                        "summary": "",
                        "body": "，".join(body),
                        "area_id": self.areas[n % len(self.areas)],
                        "author_id": author.pk,
                        "status": PublicationStatus.PUBLISHED,
                        "published_at": (now - timezone.timedelta(minutes=n)).isoformat(),
                        "words": " ".join(title + body),
                        "title_pinyin": f"{syllables} {initials}",
                    }
                )

        writer.copy(lines())
        reset_sequence("training_article")
        self.log(f"  {self.plan.articles:,} articles in {time.perf_counter() - started:.1f} s")


def queries() -> list[tuple[str, str]]:
    """(kind, text) of the queries measured: from a word in most articles to one in a few hundred, two words, and
    the pinyin of a title word."""
    words = vocabulary()
    return [
        ("very common word", words[0]),
        ("common word", words[20]),
        ("mid word", words[200]),
        ("rare word", words[2000]),
        ("very rare word", words[15000]),
        ("two common words", "河蟹水质"),
        ("common + mid word", f"{words[3]} {words[300]}"),
        ("pinyin of a title word", "hexie"),
    ]


def matching(text: str) -> tuple[str, list]:
    """The WHERE clause of the articles the search's first candidate query selects for `text`: those holding every
    word, or for pinyin those whose title pinyin starts with it (the expressions of the GIN indexes)."""
    from sciaid.core.text import tokens

    letters = pinyin_letters(text)
    if letters:
        return "to_tsvector('simple'::regconfig, COALESCE(title_pinyin, '')) @@ to_tsquery('simple'::regconfig, %s)", [
            f"{letters}:*"
        ]
    words = tokens(text)
    match = " && ".join(["plainto_tsquery('simple'::regconfig, %s)"] * len(words))
    return f"to_tsvector('simple'::regconfig, COALESCE(words, '')) @@ ({match})", words


def floor_sql(text: str) -> tuple[str, list]:
    """The search's first candidate SELECT for `text` (no order, capped), as raw SQL."""
    where, params = matching(text)
    return (
        f"SELECT id, title, words FROM training_article WHERE status = 'published' AND {where} LIMIT {CANDIDATES}",
        params,
    )


def match_count(text: str) -> int:
    where, params = matching(text)
    (count,) = raw(f"SELECT count(*) FROM training_article WHERE status = 'published' AND {where}", params, "one")()
    return count


def measure_training_search(seconds: float, generated: bool, plan: SearchPlan, repeat: int) -> list[Row]:
    """One row per query and user: the search's p50/p95 beside its first candidate SELECT's p50 (the floor)."""
    _admin, county_admin = bench_users()
    rows = [
        Row(
            "generate articles (COPY)",
            f"{plan.articles:,} articles",
            rate=plan.articles / seconds,
            note=f"{seconds:.0f} s, {'generated now' if generated else 'loaded earlier'}",
        )
    ]
    for kind, text in queries():
        size = f"{match_count(text):,} of {plan.articles:,}"
        floor = raw(*floor_sql(text))
        for label, user in (("anonymous", AnonymousUser()), ("county admin", county_admin)):
            cases = [(lambda text=text, user=user: search(text, user), floor)] * (repeat + WARMUP)
            note = f"{text}; target p95 < 150 ms"
            rows.append(compare(f"knowledge search, {label}: {kind}", size, cases, note=note))
    return rows


__all__ = ["SearchPlan", "ensure_training_search", "measure_training_search", "remove_training_search"]
