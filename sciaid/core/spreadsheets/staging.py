"""Set-based writing for large imports: a temporary staging table, filled batch by batch, merged by a few statements.

PostgreSQL fills the table with `COPY` (the fastest way rows enter it); SQLite with `executemany`. The importer's
merge statements then insert, update and audit every row in one pass each, instead of one ORM call per row. The
table lives inside the import's transaction: a refused import rolls it back with everything else.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from django.db import connection

_names = itertools.count(1)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Staging:
    """A temporary table of `columns` ((name, PostgreSQL type) pairs) for one import."""

    def __init__(self, prefix: str, columns: Sequence[tuple[str, str]]):
        self.name = f"{prefix}_{next(_names)}"
        self.columns = [name for name, _type in columns]
        definition = ", ".join(f"{name} {kind}" for name, kind in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {self.name} ({definition})")

    def add(self, rows: Iterable[Sequence]) -> None:
        names = ", ".join(self.columns)
        with connection.cursor() as cursor:
            if is_postgresql():
                with cursor.cursor.copy(f"COPY {self.name} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {self.name} ({names}) VALUES ({marks})", list(rows))

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {self.name}")


def execute(sql: str, params: Sequence = ()) -> int:
    """Run one merge statement; return how many rows it wrote."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def scalar(sql: str, params: Sequence = ()):
    """The single value a query answers (a count)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def distinct(left: str, right: str) -> str:
    """SQL true when two values differ, NULLs included."""
    return f"{left} IS DISTINCT FROM {right}" if is_postgresql() else f"{left} IS NOT {right}"


def json_object(pairs: dict[str, str], json_keys: Iterable[str] = ()) -> str:
    """SQL building a JSON object of `pairs` (key → expression); `json_keys` name expressions already JSON."""
    if is_postgresql():
        return "jsonb_build_object(" + ", ".join(f"'{key}', {expr}" for key, expr in pairs.items()) + ")"
    nested = set(json_keys)
    parts = [f"'{key}', json({expr})" if key in nested else f"'{key}', {expr}" for key, expr in pairs.items()]
    return "json_object(" + ", ".join(parts) + ")"


def money_text(expr: str) -> str:
    """SQL writing an amount as the audit log keeps it: 6850.50."""
    return f"CAST({expr} AS text)" if is_postgresql() else f"printf('%%.2f', {expr})"
