"""The public portal at province scale: the home page of the province and of a county for a visitor without a login,
beside ~100,000 published achievements, ~100,000 published news items and ~10,000 public demonstration sites with
three years of figures each (`SiteFigures`) loaded here once per province, and the stored training and commissioner
figures the other generators fill (`TrainingKindFigures`, `VillageYearFigures`). Titles and stored words come from
the knowledge search's Zipf vocabulary, so the catalogue and news searches (bench/achievements.py) measure real
matches on these same rows.

The page reads its figures from the portal's tallies (`core.portal`, a few hundred rows per province and year),
recounted here (`recount_all`) after every load, and its latest items through the (status, date) indexes. Each page
is timed through the test client beside the raw-SQL floor of those same reads in the same run; the target is p95
< 50 ms. The floor of the old design (counting the published rows and summing the stored figures per request) is
measured beside it, so the table shows what the tallies bought.

`python -m bench --only portal` measures these alone. The rows loaded here are marked `bench_portal …` (news
titles, achievement owners, site operators).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate

from django.db import connection, transaction
from django.test import Client

from bench.assistance import next_id, reset_sequence
from bench.commissioners import floor, page
from bench.generate import PROVINCE_CODE, CopyWriter, bounds, marker_seconds
from bench.measure import WARMUP, Row, compare
from bench.training_search import vocabulary
from sciaid.achievements.choices import AchievementKind, TransferMode
from sciaid.achievements.models import Achievement
from sciaid.core.models import PortalTally
from sciaid.core.portal import recount_all
from sciaid.core.publishing import PublicationStatus
from sciaid.demonstration.choices import OperatorKind, SiteKind, SiteStatus
from sciaid.demonstration.models import DemoSite, SiteFigures
from sciaid.experts.models import Specialty
from sciaid.information.choices import NewsCategory
from sciaid.information.models import NewsItem
from sciaid.information.services import search_fields
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.regions.services import pinyin_of

SEED = 2020
YEAR = 2020
PREFIX = "bench_portal"
MARKER_TABLE = "bench_portal"
BATCH = 5_000
KINDS = [kind.value for kind in AchievementKind]
CATEGORIES = [category.value for category in NewsCategory]
#: Words of an achievement's title and description, and of a news title (drawn from the Zipf vocabulary).
TITLE_WORDS = 3
BODY_WORDS = 16
#: Years of stored figures per demonstration site, the portal's year last.
SITE_YEARS = (YEAR - 2, YEAR - 1, YEAR)
OPERATOR_KINDS = [kind.value for kind in OperatorKind if kind != OperatorKind.HOUSEHOLD]

#: The reads the portal page makes, in raw SQL: the area and those above it, the latest year, the area's tallies of
#: the year, the ids of the areas publishing for it, and each entrance's latest items.
AREA_SQL = "SELECT id, code, name, level, parent_id FROM regions_area WHERE code = %s AND level IN (1, 2, 3)"
TRAIL_SQL = "SELECT id, code, name, level FROM regions_area WHERE code = ANY(%(above)s) ORDER BY code"
YEARS_SQL = [
    "SELECT max(year) FROM training_trainingkindfigures",
    "SELECT max(year) FROM commissioners_villageyearfigures",
]
TALLY_SQL = (
    "SELECT key, year, area_code = ANY(%(above)s) AS above, sum(value) FROM core_portaltally "
    "WHERE year IN (%(year)s, 0) AND (area_code BETWEEN %(low)s AND %(high)s OR area_code = ANY(%(above)s)) "
    "GROUP BY 1, 2, 3"
)
PUBLISHING_AREAS = "SELECT id FROM regions_area WHERE (code BETWEEN %s AND %s AND level IN (1, 2, 3)) OR code = ANY(%s)"
PUBLISHING_SQL = PUBLISHING_AREAS % ("%(low)s", "%(high)s", "%(above)s")
LATEST_SQL = [
    "SELECT k.id, k.title FROM assistance_knowledgeentry k JOIN regions_area v ON v.id = k.village_id "
    "WHERE k.status = 'published' AND v.code BETWEEN %(low)s AND %(high)s ORDER BY k.published_at DESC LIMIT 3",
    "SELECT s.id, s.name, i.name_zh FROM demonstration_demosite s JOIN regions_area v ON v.id = s.village_id "
    "JOIN experts_specialty i ON i.id = s.industry_id WHERE s.status IN ('active', 'closed') "
    "AND v.code BETWEEN %(low)s AND %(high)s ORDER BY s.id DESC LIMIT 3",
    "SELECT id, title, kind FROM achievements_achievement WHERE status = 'published' AND area_id = ANY(%(ids)s) "
    "ORDER BY published_on DESC, id DESC LIMIT 3",
    "SELECT e.id, e.title, e.starts_on FROM training_trainingevent e JOIN regions_area a ON a.id = e.area_id "
    "WHERE e.status = 'published' AND e.ends_on >= %(today)s AND a.code BETWEEN %(low)s AND %(high)s "
    "ORDER BY e.starts_on, e.id LIMIT 3",
    "SELECT id, title FROM training_article WHERE status = 'published' AND area_id = ANY(%(ids)s) "
    "ORDER BY published_at DESC, id DESC LIMIT 2",
    "SELECT id, title, category, published_on FROM information_newsitem WHERE status = 'published' "
    "AND area_id = ANY(%(ids)s) ORDER BY published_on DESC, id DESC LIMIT 4",
]
#: The figures as the old design read them on every visit: counts of the published rows, sums of the stored figures.
COUNTED_SQL = [
    "SELECT count(*) FROM assistance_knowledgeentry k JOIN regions_area v ON v.id = k.village_id "
    "WHERE k.status = 'published' AND v.code BETWEEN %(low)s AND %(high)s "
    "AND k.published_at >= %(start)s AND k.published_at < %(end)s",
    "SELECT sum(services), sum(households), sum(varieties), sum(techniques) FROM commissioners_villageyearfigures f "
    "JOIN regions_area v ON v.id = f.village_id WHERE f.year = %(year)s AND v.code BETWEEN %(low)s AND %(high)s",
    f"SELECT count(*) FROM achievements_achievement WHERE status = 'published' AND area_id IN ({PUBLISHING_SQL})",
    "SELECT sum(f.events), sum(f.trainees) FROM training_trainingkindfigures f JOIN regions_area a ON a.id = f.area_id "
    "WHERE f.year = %(year)s AND a.code BETWEEN %(low)s AND %(high)s",
    "SELECT count(*) FROM demonstration_demosite s JOIN regions_area v ON v.id = s.village_id "
    "WHERE s.status IN ('active', 'closed') AND v.code BETWEEN %(low)s AND %(high)s",
    "SELECT sum(f.households_driven) FROM demonstration_sitefigures f "
    "JOIN demonstration_demosite s ON s.id = f.site_id JOIN regions_area v ON v.id = s.village_id "
    "WHERE f.year = %(year)s AND s.status IN ('active', 'closed') "
    "AND v.code BETWEEN %(low)s AND %(high)s",
    f"SELECT count(*) FROM information_newsitem WHERE status = 'published' AND area_id IN ({PUBLISHING_SQL}) "
    "AND published_on >= %(start)s AND published_on < %(end)s",
]


@dataclass(frozen=True)
class PortalPlan:
    achievements: int
    news: int
    sites: int

    @classmethod
    def for_scale(cls, scale: float) -> PortalPlan:
        return cls(max(500, round(100_000 * scale)), max(500, round(100_000 * scale)), max(50, round(10_000 * scale)))

    @property
    def key(self) -> str:
        return f"achievements={self.achievements},news={self.news},sites={self.sites},words=zipf"


def ensure_portal(plan: PortalPlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load the published achievements and news of the province unless loaded, then recount the portal's tallies
    (every run: the other generators may have reloaded what they count); (seconds, generated now)."""
    key = f"{province_key};{plan.key}"
    seconds = loaded_seconds(key)
    generated = seconds is None
    if generated:
        started = time.perf_counter()
        with transaction.atomic():
            remove_portal()
            areas = list(
                Area.objects.filter(level__lte=AreaLevel.COUNTY, code__range=bounds(PROVINCE_CODE)).values_list(
                    "pk", flat=True
                )
            )
            rng = random.Random(SEED)
            _load(Achievement, plan.achievements, lambda i: _achievement(i, rng, areas), log)
            _load(NewsItem, plan.news, lambda i: _news(i, rng, areas), log)
            load_sites(plan.sites, rng, log)
            seconds = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [key, seconds])
        with connection.cursor() as cursor:
            for model in (Achievement, NewsItem, DemoSite, SiteFigures):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    started = time.perf_counter()
    rows = recount_all()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PortalTally._meta.db_table}")
    log(f"  {rows:,} portal tallies recounted in {time.perf_counter() - started:.1f} s")
    return seconds, generated


def loaded_seconds(key: str) -> float | None:
    return marker_seconds(MARKER_TABLE, key)


def remove_portal() -> None:
    """Drop what an earlier plan loaded (idempotent)."""
    loaded_seconds("")
    marked = [f"{PREFIX}%"]
    sites = "SELECT id FROM demonstration_demosite WHERE operator_name LIKE %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM demonstration_sitefigures WHERE site_id IN ({sites})", marked)
        cursor.execute("DELETE FROM demonstration_demosite WHERE operator_name LIKE %s", marked)
        cursor.execute("DELETE FROM achievements_achievement WHERE title LIKE %s OR owner LIKE %s", marked * 2)
        cursor.execute("DELETE FROM information_newsitem WHERE title LIKE %s", marked)
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


def _load(model, count: int, make, log) -> None:
    for start in range(0, count, BATCH):
        model.objects.bulk_create([make(i) for i in range(start, min(count, start + BATCH))])
    log(f"  {count:,} published {model._meta.verbose_name_plural} loaded")


@cache
def zipf() -> tuple[list[str], list[float], dict[str, tuple[str, str]]]:
    """The knowledge search's vocabulary with its cumulative Zipf weights and each word's (pinyin, initials)."""
    words = vocabulary()
    return words, list(accumulate(1 / rank for rank in range(1, len(words) + 1))), {w: pinyin_of(w) for w in words}


def draw(rng: random.Random, count: int) -> list[str]:
    words, weights, _pinyin = zipf()
    return rng.choices(words, cum_weights=weights, k=count)


def _achievement(i: int, rng: random.Random, areas: list[int]) -> Achievement:
    """A published entry titled by Zipf words and its number (the way 皖稻68 is called), with stored words and
    title pinyin as `sciaid.achievements.services` keeps them."""
    title_words, body = draw(rng, TITLE_WORDS), draw(rng, BODY_WORDS)
    pinyin = zipf()[2]
    title = f"{''.join(title_words)}{i}"
    owner = f"{PREFIX} 农业科学院"
    return Achievement(
        title=title,
        kind=rng.choice(KINDS),
        owner=owner,
        area_id=rng.choice(areas),
        transfer_modes=[TransferMode.LICENCE],
        description="，".join(body),
        status=PublicationStatus.PUBLISHED,
        published_on=date(YEAR, 1, 1) + timedelta(days=i % 365),
        title_key=title,
        owner_key=owner,
        title_pinyin="".join(pinyin[w][0] for w in title_words) + str(i),
        title_initials="".join(pinyin[w][1] for w in title_words) + str(i),
        words=" ".join([*title_words, str(i), *body]),
    )


def _news(i: int, rng: random.Random, areas: list[int]) -> NewsItem:
    """A published item titled by Zipf words, with the stored words and title pinyin the news search reads, made by
    the function `sciaid.information.services` keeps them with."""
    title, body = f"{PREFIX} {''.join(draw(rng, TITLE_WORDS))}通知", "<p>春耕备耕。</p>"
    words, pinyin, initials = search_fields(title, "", body)
    return NewsItem(
        title=title,
        category=rng.choice(CATEGORIES),
        area_id=rng.choice(areas),
        body=body,
        status=PublicationStatus.PUBLISHED,
        published_on=date(YEAR, 1, 1) + timedelta(days=i % 365),
        words=words,
        title_pinyin=pinyin,
        title_initials=initials,
    )


def load_sites(count: int, rng: random.Random, log) -> None:
    """`count` public demonstration sites in the province's villages (poor ones first), each with its figures of
    SITE_YEARS, loaded with COPY; their operators are marked with PREFIX."""
    villages = list(
        Area.objects.filter(level=AreaLevel.VILLAGE, code__range=bounds(PROVINCE_CODE))
        .order_by("-is_poor", "code")
        .values_list("pk", flat=True)[:count]
    )
    industries = list(Specialty.objects.filter(parent__isnull=False).values_list("pk", "name_zh"))
    if not villages or not industries:
        raise RuntimeError("the demonstration sites need the province's villages and the specialty tree")
    first = next_id(DemoSite._meta.db_table)
    sites, figures = CopyWriter(DemoSite, ["id"]), CopyWriter(SiteFigures, [])
    driven: list[tuple[int, int]] = []

    def site_lines():
        for n in range(count):
            industry, label = rng.choice(industries)
            households = rng.randint(20, 400)
            driven.append((first + n, households))
            name = f"{label}示范基地{n}"
            yield sites.line(
                {
                    "id": first + n,
                    "name": name,
                    "name_pinyin": pinyin_of(label)[0] + str(n),
                    "kind": rng.choice([SiteKind.BASE, SiteKind.SITE, SiteKind.PARK]),
                    "operator_kind": rng.choice(OPERATOR_KINDS),
                    "operator_name": f"{PREFIX} 合作社{n}",
                    "village_id": villages[n % len(villages)],
                    "industry_id": industry,
                    "area_mu": rng.randint(50, 3000),
                    "established_year": rng.randint(2012, YEAR - 2),
                    "households_driven": households,
                    "poor_households_driven": households // 3,
                    "status": SiteStatus.ACTIVE,
                }
            )

    sites.copy(site_lines())
    reset_sequence(DemoSite._meta.db_table)
    figures.copy(
        figures.line(
            {
                "site_id": site,
                "year": year,
                "output": rng.randint(10, 5000),
                "yield_per_mu": rng.randint(100, 800),
                "income": rng.randint(100_000, 5_000_000),
                "households_driven": households,
                "poor_income_increase": rng.randint(500, 5000),
            }
        )
        for site, households in driven
        for year in SITE_YEARS
    )
    log(f"  {count:,} public demonstration sites with {count * len(SITE_YEARS):,} yearly figures loaded")


def portal_floor(area: Area, sqls: list[str]):
    """The raw SQL of `sqls` for `area` (the new reads, or the old counts), each read as the page makes it."""
    low, high = area.subtree_bounds
    params = {
        "low": low,
        "high": high,
        "above": area.ancestor_codes(),
        "year": YEAR,
        "start": date(YEAR, 1, 1),
        "end": date(YEAR + 1, 1, 1),
        "today": date.today(),
    }
    with connection.cursor() as cursor:
        cursor.execute(PUBLISHING_SQL, params)
        params["ids"] = [row[0] for row in cursor.fetchall()]
    reads = [sql for sql in sqls if sql != TRAIL_SQL or params["above"]]  # a province has nothing above it
    return floor([(sql, [area.code] if sql == AREA_SQL else params) for sql in reads])


#: The new design's reads: what `PortalView` asks for (the trail only below the province).
PAGE_SQL = [AREA_SQL, TRAIL_SQL, *YEARS_SQL, TALLY_SQL, PUBLISHING_SQL, *LATEST_SQL]


def measure_portal(seconds: float, generated: bool, plan: PortalPlan, repeat: int) -> list[Row]:
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=province.subtree_bounds).order_by("code")[0]
    rows = [
        Row(
            "load published achievements, news and demonstration sites",
            f"{plan.achievements:,} achievements, {plan.news:,} news, {plan.sites:,} sites",
            rate=(plan.achievements + plan.news + plan.sites * (1 + len(SITE_YEARS))) / seconds,
            note=f"{seconds:.0f} s, {'generated now' if generated else 'loaded earlier'}",
        )
    ]
    client = Client()  # a visitor without a login
    size = f"{plan.achievements + plan.news:,} published items, {plan.sites:,} sites"
    for area in (province, county):
        scope = "county" if area.level == AreaLevel.COUNTY else "province"
        rows.append(
            compare(
                f"portal home ({scope})",
                size,
                [(page(client, f"/portal/{area.code}/", {}), portal_floor(area, PAGE_SQL))] * (repeat + WARMUP),
                note="target p95 < 50 ms; floor: the page's reads (tallies, latest items)",
            )
        )
        rows.append(
            compare(
                f"old figures, counted per visit ({scope})",
                size,
                [(portal_floor(area, COUNTED_SQL), portal_floor(area, [TALLY_SQL]))] * (repeat + WARMUP),
                note="raw SQL of the counts the tallies replace; baseline: the tallies' one query",
            )
        )
    return rows


__all__ = ["PortalPlan", "draw", "ensure_portal", "measure_portal", "remove_portal", "zipf"]
