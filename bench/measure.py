"""What the pages do at province scale, each beside a baseline measured in the same run on the same data.

1. village subtree: the ORM query every area picker runs, vs the same range query in raw SQL;
2. household list page: the real view through the test client (scoping, filters, COUNT, LIMIT/OFFSET, template),
   vs the raw SQL of the same COUNT and SELECT;
3. household import: HouseholdImporter on a 20,000-row CSV for one county, vs a raw COPY of the same file
   (`bench.imports`), and the peak memory of importing a file of IMPORT_MAX_ROWS rows.
Nothing measured stays in the database: the import runs in a transaction that is rolled back.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import PROVINCE_CODE, Dataset, bench_users, bounds, vacuum
from bench.imports import household_import
from sciaid.core.models import ObjectChange
from sciaid.regions.choices import AreaLevel, HouseholdStatus
from sciaid.regions.models import Area, AreaStatistics, Household, HouseholdIncome
from sciaid.regions.services import refresh_area_statistics

SEED = 7
WARMUP = 3
PAGE_SIZE = 50
#: Bench runs with at least this many import rows also import a file of IMPORT_MAX_ROWS rows (the smoke test does not).
LARGEST_FILE_FROM = 10_000

VILLAGE_SUBTREE_SQL = "SELECT * FROM regions_area WHERE level = %s AND code BETWEEN %s AND %s ORDER BY code"
PAGE_FROM = (
    "FROM regions_household h JOIN regions_area v ON v.id = h.village_id "
    "WHERE v.code BETWEEN %s AND %s AND h.status = %s"
)
PAGE_COUNT_SQL = f"SELECT count(*) {PAGE_FROM}"
PAGE_SELECT_SQL = (
    "SELECT h.*, v.*, t.* FROM regions_household h JOIN regions_area v ON v.id = h.village_id "
    "LEFT JOIN regions_area t ON t.id = v.parent_id "
    "WHERE v.code BETWEEN %s AND %s AND h.status = %s ORDER BY v.code, h.number LIMIT %s OFFSET %s"
)


@dataclass
class Row:
    """One line of the table: timings in seconds (p50/p95) or a rate in rows/s, beside the baseline's."""

    measurement: str
    size: str
    p50: float | None = None
    p95: float | None = None
    baseline: float | None = None
    rate: float | None = None
    baseline_rate: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.p50 is not None and self.baseline:
            return self.p50 / self.baseline
        if self.rate and self.baseline_rate:
            return self.baseline_rate / self.rate
        return None


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def timed(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def raw(sql: str, params: list, fetch: str = "all") -> Callable[[], object]:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch == "all" else cursor.fetchone()

    return run


def compare(label: str, size: str, cases: list[tuple[Callable, Callable]], note: str = "") -> Row:
    """Time each (measured, baseline) pair alternately, so both see the same caches; skip the warm-up runs."""
    measured, baseline = [], []
    for index, (func, base) in enumerate(cases):
        m, b = timed(func), timed(base)
        if index >= WARMUP:
            measured.append(m)
            baseline.append(b)
    return Row(label, size, percentile(measured, 0.5), percentile(measured, 0.95), percentile(baseline, 0.5), note=note)


def village_subtree(admin, repeat: int, rng: random.Random) -> Row:
    """The villages of a random county as a province admin sees them."""
    counties = list(Area.objects.filter(level=AreaLevel.COUNTY, code__range=bounds(PROVINCE_CODE)))
    cases = []
    for _ in range(repeat + WARMUP):
        low, high = rng.choice(counties).subtree_bounds
        query = Area.objects.for_user(admin).filter(level=AreaLevel.VILLAGE, code__range=(low, high))
        cases.append(((lambda q=query: list(q.all())), raw(VILLAGE_SUBTREE_SQL, [AreaLevel.VILLAGE, low, high])))
    villages = Area.objects.filter(level=AreaLevel.VILLAGE, code__range=bounds(PROVINCE_CODE)).count()
    return compare("village subtree (ORM, for_user)", f"~{villages // len(counties):,} villages a county", cases)


def household_page(user, label: str, repeat: int, rng: random.Random) -> Row:
    """The household list as the page serves it, filtered by a random township and status, on a random page."""
    client = Client()
    client.force_login(user)
    url = reverse("regions:household-list")
    townships = list(Area.objects.for_user(user).filter(level=AreaLevel.TOWNSHIP, code__range=bounds(PROVINCE_CODE)))
    cases, queries, rows = [], 0, []
    for index in range(repeat + WARMUP):
        low, high = rng.choice(townships).subtree_bounds
        status = rng.choice([s for s, _ in HouseholdStatus.choices])
        (total,) = raw(PAGE_COUNT_SQL, [low, high, status], fetch="one")()
        page = rng.randint(1, max(1, math.ceil(total / PAGE_SIZE)))
        params = {"township": low, "status": status, "page": page}
        if index == 0:
            with CaptureQueriesContext(connection) as captured:
                page_get(client, url, params)
            queries = len(captured)
        rows.append(total)

        def base(low=low, high=high, status=status, page=page):
            raw(PAGE_COUNT_SQL, [low, high, status], fetch="one")()
            raw(PAGE_SELECT_SQL, [low, high, status, PAGE_SIZE, (page - 1) * PAGE_SIZE])()

        cases.append(((lambda p=params: page_get(client, url, p)), base))
    size = f"~{sum(rows) // len(rows):,} matches, 50/page"
    return compare(f"household list page, {label}", size, cases, note=f"{queries} queries a page")


AREA_CHILDREN_SQL = (
    "SELECT a.id, a.code, a.name, s.villages, s.poor_villages, s.households FROM regions_area a "
    "LEFT JOIN regions_areastatistics s ON s.area_id = a.id WHERE a.parent_id = %s ORDER BY a.code"
)
HOUSEHOLDS_PER_VILLAGE_SQL = (
    "SELECT a.code, h.status, COUNT(*) FROM regions_household h JOIN regions_area a ON a.id = h.village_id "
    "WHERE a.code BETWEEN %s AND %s GROUP BY a.code, h.status"
)


def statistics_refresh() -> Row:
    """Recount the whole province (the nightly job), beside the one grouped scan it cannot do without."""
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    seconds = timed(lambda: refresh_area_statistics(province))
    vacuum([AreaStatistics._meta.db_table])  # the refresh rewrote every row, which the area page then reads
    floor = timed(raw(HOUSEHOLDS_PER_VILLAGE_SQL, list(province.subtree_bounds)))
    areas = Area.objects.filter(code__range=province.subtree_bounds).count()
    return Row("area statistics refresh (job)", f"{areas:,} areas", seconds, None, floor, note="one run")


def province_area_page(admin, repeat: int) -> Row:
    """The province's page with its cities' counts, read from the refreshed statistics."""
    client = Client()
    client.force_login(admin)
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    url = reverse("regions:area-detail", args=[province.code])
    with CaptureQueriesContext(connection) as captured:
        page_get(client, url, {})
    cases = [((lambda: page_get(client, url, {})), raw(AREA_CHILDREN_SQL, [province.pk]))] * (repeat + WARMUP)
    size = f"{province.children.count()} cities"
    return compare("province area page, counts", size, cases, note=f"{len(captured)} queries a page")


def page_get(client: Client, url: str, params: dict) -> None:
    response = client.get(url, params)
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params} answered {response.status_code}")


def household_import_rows(county_admin, count: int) -> list[Row]:
    """The import of `count` rows beside COPY of the same file; in a real run (not the smoke test), also a file as
    large as an import may be (IMPORT_MAX_ROWS), whose peak memory must be no more than the small file's."""
    run = household_import(county_admin, count)
    rows = [import_row("household import (HouseholdImporter)", run)]
    if count >= LARGEST_FILE_FROM:
        rows.append(
            import_row(
                "household import, largest file", household_import(county_admin, settings.IMPORT_MAX_ROWS, floor=False)
            )
        )
    return rows


def import_row(label: str, run) -> Row:
    return Row(
        label,
        f"{run.rows:,} rows, one county",
        rate=run.rows / run.seconds,
        baseline_rate=run.rows / run.copy_seconds if run.copy_seconds else None,
        note=f"{run.seconds:.2f} s; peak RSS {run.peak_mb:.0f} MB (process before {run.before_mb:.0f} MB)",
    )


def measure(dataset: Dataset, repeat: int, import_rows: int) -> list[Row]:
    rng = random.Random(SEED)
    admin, county_admin = bench_users()
    how = "generated now" if dataset.generated else "loaded earlier"
    generation = Row(
        "generate province (COPY)",
        f"{dataset.villages:,} villages, {dataset.households:,} households",
        rate=(dataset.villages + dataset.households) / dataset.seconds,
        note=f"{dataset.seconds:.0f} s, {how}",
    )
    # The imports run first; their peak RSS is measured from a reset high-water mark all the same. Their rolled-back
    # rows are vacuumed away before the pages are timed, as autovacuum would in a live database.
    imports = household_import_rows(county_admin, import_rows)
    vacuum(model._meta.db_table for model in (Household, HouseholdIncome, ObjectChange))
    return [
        generation,
        village_subtree(admin, repeat, rng),
        household_page(county_admin, "county admin", repeat, rng),
        household_page(admin, "province admin", repeat, rng),
        statistics_refresh(),
        province_area_page(admin, repeat),
        *imports,
    ]


HEADERS = ("measurement", "size", "p50 / rate", "p95", "baseline", "ratio", "note")


def format_table(rows: list[Row]) -> str:
    """A plain-text table; times in ms, rates in rows/s; ratio = how many times the baseline's cost."""
    lines = [HEADERS]
    for row in rows:
        if row.rate is not None:
            value, p95 = f"{row.rate:,.0f} rows/s", "—"
            baseline = f"{row.baseline_rate:,.0f} rows/s (COPY)" if row.baseline_rate else "—"
        else:
            value, p95, baseline = ms(row.p50), ms(row.p95), f"{ms(row.baseline)} (raw SQL)"
        ratio = f"{row.ratio:.1f}×" if row.ratio else "—"
        lines.append((row.measurement, row.size, value, p95, baseline, ratio, row.note))
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    rendered = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip() for line in lines
    ]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(rendered)


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.1f} ms"
