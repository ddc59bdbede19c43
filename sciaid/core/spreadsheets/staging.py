"""Set-based writing for large imports: a temporary staging table, filled batch by batch, merged by a few statements.

PostgreSQL fills the table with `COPY` (the fastest way rows enter it); SQLite with `executemany`. The importer's
merge statements then insert, update and audit every row in one pass each, instead of one ORM call per row. The
table lives inside the import's transaction: a refused import rolls it back with everything else.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Sequence

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


class KeysMet:
    """The keys an import has met so far in its file, each with the row that first had it, kept in a temporary table
    rather than in the importer's memory: a dict of them grew by ~0.3 KB a row (60 MB for a 200,000-row file). Each
    batch asks once which of its keys an earlier batch had, and adds the new ones."""

    def __init__(self):
        self.staging = Staging("import_keys", [("name", "text"), ("key", "text"), ("first_row", "integer")])
        execute(f"CREATE UNIQUE INDEX {self.staging.name}_key ON {self.staging.name} (name, key)")

    def first_rows(self, name: str, keys: dict[Hashable, int]) -> dict[Hashable, int]:
        """For each key of a batch (with the batch's row that first has it), the file's row that first had it."""
        texts = {key_text(key): key for key in keys}
        if not texts:
            return {}
        table = self.staging.name
        with connection.cursor() as cursor:
            if is_postgresql():
                cursor.execute(
                    f"SELECT key, first_row FROM {table} WHERE name = %s AND key = ANY(%s)", [name, list(texts)]
                )
            else:
                marks = ", ".join(["%s"] * len(texts))
                cursor.execute(
                    f"SELECT key, first_row FROM {table} WHERE name = %s AND key IN ({marks})", [name, *texts]
                )
            earlier = dict(cursor.fetchall())
        self.staging.add((name, text, keys[key]) for text, key in texts.items() if text not in earlier)
        return {key: earlier.get(text, keys[key]) for text, key in texts.items()}

    def drop(self) -> None:
        self.staging.drop()


def key_text(key: Hashable) -> str:
    """A key as the table keeps it: a tuple's parts joined by a separator no cell holds."""
    return "\x1f".join(map(str, key)) if isinstance(key, tuple) else str(key)


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
