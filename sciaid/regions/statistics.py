"""The stored counts under every area (`AreaStatistics`), recounted set-based: one SQL statement per refresh.

Pages above county level read these rows instead of counting 1.5 million households per request. The refresh counts
households per village once (the one grouped scan it cannot do without), rolls the villages up to every level by
division-code prefix, and upserts every area's row in the same statement: PostgreSQL and SQLite both run it.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from sciaid.regions.choices import CODE_DIGITS, AreaLevel, HouseholdStatus
from sciaid.regions.models import Area

STATISTICS_FIELDS = (
    "villages",
    "poor_villages",
    "lifted_villages",
    "households",
    "poor_households",
    "lifted_households",
    "at_risk_households",
)
HOUSEHOLD_COUNT_FIELDS = {
    HouseholdStatus.POOR: "poor_households",
    HouseholdStatus.LIFTED: "lifted_households",
    HouseholdStatus.AT_RISK: "at_risk_households",
}


def _statement() -> str:
    """The refresh as one INSERT … SELECT … ON CONFLICT; parameters: the subtree bounds twice and the time."""
    levels = ", ".join(f"({level}, {digits})" for level, digits in CODE_DIGITS.items())
    by_status = ", ".join(
        f"COUNT(*) FILTER (WHERE h.status = '{status}') AS {field}" for status, field in HOUSEHOLD_COUNT_FIELDS.items()
    )
    household_sums = ", ".join(f"SUM(COALESCE(v.{field}, 0)) AS {field}" for field in HOUSEHOLD_COUNT_FIELDS.values())
    columns = ", ".join(STATISTICS_FIELDS)
    values = ", ".join(f"COALESCE(r.{field}, 0)" for field in STATISTICS_FIELDS)
    updates = ", ".join(f"{field} = excluded.{field}" for field in (*STATISTICS_FIELDS, "refreshed_at"))
    return f"""
        WITH levels(level, digits) AS (VALUES {levels}),
        per_village AS (
            SELECT h.village_id, COUNT(*) AS households, {by_status}
            FROM regions_household h JOIN regions_area a ON a.id = h.village_id
            WHERE a.code BETWEEN %(low)s AND %(high)s
            GROUP BY h.village_id
        ),
        v AS (
            SELECT a.code, a.is_poor, a.lifted_year, p.*
            FROM regions_area a LEFT JOIN per_village p ON p.village_id = a.id
            WHERE a.level = {AreaLevel.VILLAGE} AND a.code BETWEEN %(low)s AND %(high)s
        ),
        r AS (
            SELECT l.level, SUBSTR(v.code, 1, l.digits) AS prefix, COUNT(*) AS villages,
                COUNT(*) FILTER (WHERE v.is_poor) AS poor_villages,
                COUNT(*) FILTER (WHERE v.is_poor AND COALESCE(v.lifted_year, 0) <> 0) AS lifted_villages,
                SUM(COALESCE(v.households, 0)) AS households, {household_sums}
            FROM v CROSS JOIN levels l
            GROUP BY l.level, SUBSTR(v.code, 1, l.digits)
        )
        INSERT INTO regions_areastatistics (area_id, {columns}, refreshed_at)
        SELECT a.id, {values}, %(now)s
        FROM regions_area a JOIN levels l ON l.level = a.level
        LEFT JOIN r ON r.level = a.level AND r.prefix = SUBSTR(a.code, 1, l.digits)
        WHERE a.code BETWEEN %(low)s AND %(high)s
        ON CONFLICT (area_id) DO UPDATE SET {updates}
    """


def write_area_statistics(bounds: tuple[str, str]) -> int:
    """Recount and store the statistics of every area whose code lies within `bounds`; return the rows written."""
    low, high = bounds
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # Hash the million-row grouping in memory instead of sorting on disk; JIT costs more than it saves here.
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_statement(), {"low": low, "high": high, "now": timezone.now()})
        written = cursor.rowcount
    # SQLite reports no row count for a statement that starts with WITH: every area in the bounds got its row.
    return written if written >= 0 else Area.objects.filter(code__range=bounds).count()
