"""Indicators, dashboards and the self-inspection report at province scale (`python -m bench --only reports`).

It reads what the other generators loaded (demands, commissioners and their logs, the ledger, trainings, sites,
achievements, the market), refreshes the stored indicators of the year once (timed: the nightly job), then measures,
for a county admin and for the province's platform admin, the dashboard page through the test client and the whole
self-inspection report (figures, checks, DOCX and PDF).

Each measurement runs beside its floor: the SELECT statements the same call issued, captured once and replayed as raw
SQL in the same run (server-side cursors replayed as their plain SELECT). The floor is what the database must do for
those figures; the rest is Python (ORM, templates, python-docx, reportlab).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.commissioners import YEAR, page
from bench.generate import PROVINCE_CODE, bench_users, bounds
from bench.measure import WARMUP, Row, compare, raw
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.models import IndicatorValue
from sciaid.reports.self_inspection import render, services
from sciaid.reports.services import refresh_indicators

#: A server-side cursor's statement (`QuerySet.iterator()` on PostgreSQL) and the SELECT it runs.
CURSOR = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR (?:WITH(?:OUT)? HOLD )?FOR ', re.IGNORECASE)
#: Report runs: a whole report takes seconds, so fewer repeats than a page.
REPORT_REPEAT = 5


def executable(query: dict) -> str:
    return CURSOR.sub("", query["sql"])


def is_select(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


def captured_selects(call: Callable[[], object]) -> list[str]:
    """The SELECT statements `call` issues, as executable SQL."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return [sql for sql in map(executable, captured.captured_queries) if is_select(sql)]


def replayed(statements: list[str]) -> Callable[[], None]:
    def run():
        for sql in statements:
            raw(sql, None)()

    return run


def uncached(call: Callable[[], object]) -> Callable[[], None]:
    """`call` with the cache of rendered dashboards emptied first: the first reader after a refresh."""

    def run():
        cache.clear()
        call()

    return run


def whole_report(user, area: Area) -> Callable[[], None]:
    def run():
        report = services.report_for(user, area, YEAR)
        render.to_docx(report)
        render.to_pdf(report)

    return run


def refresh_row() -> Row:
    """The nightly job for the whole province, once, beside its SELECTs replayed."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        written = refresh_indicators(YEAR)
    seconds = time.perf_counter() - started
    selects = [sql for sql in map(executable, captured.captured_queries) if is_select(sql)]
    floor_started = time.perf_counter()
    replayed(selects)()
    floor = time.perf_counter() - floor_started
    counties = IndicatorValue.objects.values("area").distinct().count()
    return Row(
        "indicator refresh (nightly job)",
        f"{counties:,} counties, {written:,} rows",
        seconds,
        None,
        floor,
        note=f"one run; {len(captured.captured_queries)} statements, {len(selects)} of them SELECTs",
    )


def measure_reports(repeat: int) -> list[Row]:
    admin, county_admin = bench_users()
    province = Area.objects.get(code=bounds(PROVINCE_CODE)[0])
    county = Area.objects.filter(level=AreaLevel.COUNTY, code__range=province.subtree_bounds).order_by("code")[0]
    rows = [refresh_row()]
    for user, area, scope, page_target, report_target in (
        (county_admin, county, "county", "200 ms", "5 s"),
        (admin, province, "province", "100 ms", "2 min"),
    ):
        client = Client()
        client.force_login(user)
        dashboard = page(client, "/reports/", {"area": area.code, "year": YEAR})
        dashboard()  # warm: the first request loads templates and translations
        # The floor is the SQL of the figures themselves: the SELECTs of a page that computes them (not cached).
        floor = replayed(captured_selects(uncached(dashboard)))
        if area.level < AreaLevel.COUNTY:
            rows.append(
                compare(
                    f"dashboard ({scope}, first reader after a refresh)",
                    f"{area.name}, {YEAR}",
                    [(uncached(dashboard), floor)] * (repeat + WARMUP),
                    note="renders the figures; floor: their SELECTs replayed",
                )
            )
        rows.append(
            compare(
                f"dashboard ({scope})",
                f"{area.name}, {YEAR}",
                [(dashboard, floor)] * (repeat + WARMUP),
                note=f"target p95 < {page_target}; floor: the SELECTs of the figures replayed"
                + ("; figures cached until the next refresh" if area.level < AreaLevel.COUNTY else ""),
            )
        )
        report = whole_report(user, area)
        report_floor = replayed(captured_selects(report))
        rows.append(
            compare(
                f"self-inspection report ({scope}: figures, checks, DOCX, PDF)",
                f"{area.name}, {YEAR}",
                [(report, report_floor)] * (REPORT_REPEAT + WARMUP),
                note=f"target < {report_target}; floor: its SELECTs replayed",
            )
        )
    return rows


__all__ = ["measure_reports"]
