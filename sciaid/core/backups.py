"""One archive holds everything a county's data is: the database and the uploaded files (MEDIA_ROOT).

`backup` writes a tar with `manifest.json`, the database — `pg_dump -Fc` on PostgreSQL (one consistent snapshot
while the site keeps running), a copy made with SQLite's online backup API on SQLite — and `media/`. `restore` puts
an archive back into an empty database and an empty MEDIA_ROOT; over existing data only when forced, since a
restore replaces what is there.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class RestoreRefused(Exception):
    """The archive cannot be restored here, or not without --force; the message says why."""


def backup(target: Path, alias: str = "default") -> dict:
    """Write the database and MEDIA_ROOT into the tar archive `target`; return its manifest."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise RestoreRefused(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    manifest = {"format": FORMAT, "engine": vendor, "created": timezone.now().isoformat()}
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[vendor]
        (_pg_dump if vendor == "postgresql" else _sqlite_copy)(connection, dump)
        manifest_file = Path(work) / MANIFEST
        manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed only when complete: a backup stopped halfway never looks like a good one.
        partial = target.with_name(target.name + ".partial")
        try:
            with tarfile.open(partial, "w") as archive:
                archive.add(manifest_file, MANIFEST)
                archive.add(dump, dump.name)
                media = Path(settings.MEDIA_ROOT)
                archive.add(media if media.exists() else work, MEDIA, recursive=media.exists())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
    return manifest


def restore(source: Path, alias: str = "default", *, force: bool = False) -> dict:
    """Restore the archive `source` into the database `alias` and MEDIA_ROOT; refused over existing data unless
    `force`. Returns the archive's manifest."""
    connection = connections[alias]
    with tarfile.open(source, "r") as archive, tempfile.TemporaryDirectory() as work:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        if manifest.get("format") != FORMAT or manifest.get("engine") != connection.vendor:
            raise RestoreRefused(
                f"This archive holds a {manifest.get('engine')} database; this site uses {connection.vendor}."
            )
        media = Path(settings.MEDIA_ROOT)
        if not force:
            _refuse_existing(connection, media)
        archive.extractall(work, filter="data")
        dump = Path(work) / DUMPS[connection.vendor]
        (_pg_restore if connection.vendor == "postgresql" else _sqlite_restore)(connection, dump, force)
        if force and media.exists():
            shutil.rmtree(media)
        shutil.copytree(Path(work) / MEDIA, media, dirs_exist_ok=True)
    return manifest


def _refuse_existing(connection, media: Path) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise RestoreRefused(
            f"The database already has {len(tables)} tables; restore into an empty database, or use --force to "
            "replace them."
        )
    if media.exists() and any(media.iterdir()):
        raise RestoreRefused(f"{media} is not empty; restore into an empty folder, or use --force to replace it.")


# --- PostgreSQL --------------------------------------------------------------------------------------------------


def _pg_command(connection, program: str) -> tuple[list[str], dict]:
    """The client program with the connection's host, port and user; the password through the environment, never
    on the command line (where `ps` would show it)."""
    db = connection.settings_dict
    command = [program, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    env = os.environ | ({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})
    return command, env


def _pg_dump(connection, dump: Path) -> None:
    command, env = _pg_command(connection, "pg_dump")
    command += ["--format=custom", "--no-owner", "--file", str(dump), connection.settings_dict["NAME"]]
    subprocess.run(command, env=env, check=True, capture_output=True)


def _pg_restore(connection, dump: Path, force: bool) -> None:
    command, env = _pg_command(connection, "pg_restore")
    command += ["--no-owner", "--exit-on-error", "--dbname", connection.settings_dict["NAME"]]
    if force:
        command += ["--clean", "--if-exists"]
    connection.close()
    subprocess.run([*command, str(dump)], env=env, check=True, capture_output=True)


# --- SQLite --------------------------------------------------------------------------------------------------------


def _sqlite_copy(connection, dump: Path) -> None:
    """SQLite's online backup: a consistent copy even while other connections write."""
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _sqlite_restore(connection, dump: Path, force: bool) -> None:
    """Copy the backed-up database into the live one page by page: every table of the target is replaced."""
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
