"""`manage.py backup` / `restore`: database and uploaded files round-trip through one archive; a restore over
existing data is refused unless forced."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sciaid.regions.models import Household


def upload(media_root: Path, name: str, content: bytes) -> Path:
    path = media_root / "jobs" / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL round trip is the next test")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_the_database_and_the_uploads(world, settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    kept = upload(media, "households.csv", "number,name\n1,王\n".encode())
    archive = tmp_path / "backups" / "sciaid.tar"

    call_command("backup", str(archive))

    with tarfile.open(archive) as contents:
        assert {"manifest.json", "database.sqlite3", "media/jobs/in/households.csv"} <= set(contents.getnames())
    Household.objects.filter(pk=world.household_a2.pk).delete()
    kept.unlink()
    stray = upload(media, "later.csv", b"x")

    with pytest.raises(CommandError, match="already has"):
        call_command("restore", str(archive))
    assert not Household.objects.filter(pk=world.household_a2.pk).exists(), "a refused restore changes nothing"

    call_command("restore", str(archive), "--force")

    assert Household.objects.filter(pk=world.household_a2.pk).exists()
    assert Household.objects.count() == 4
    assert kept.read_bytes() == "number,name\n1,王\n".encode()
    assert not stray.exists()


def test_an_interrupted_backup_leaves_no_archive(db, tmp_path, monkeypatch):
    from sciaid.core import backups

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(backups.tarfile.TarFile, "add", killed)
    archive = tmp_path / "sciaid.tar"
    with pytest.raises(KeyboardInterrupt):
        call_command("backup", str(archive))
    assert list(tmp_path.iterdir()) == [], "neither the archive nor a partial one is left"


def test_restore_refuses_an_archive_of_another_engine(db, tmp_path):
    archive = tmp_path / "other.tar"
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"format": 1, "engine": "oracle"}', encoding="utf-8")
    with tarfile.open(archive, "w") as contents:
        contents.add(manifest, "manifest.json")
    with pytest.raises(CommandError, match="oracle"):
        call_command("restore", str(archive), "--force")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_postgresql_backup_restores_into_an_empty_database(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload(settings.MEDIA_ROOT, "households.csv", b"number\n1\n")
    archive = tmp_path / "sciaid.tar"
    call_command("backup", str(archive))

    db = connection.settings_dict
    target = f"{db['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        restored_media = tmp_path / "restored-media"
        url = f"postgres://{db['USER']}@{server['host']}:{server['port']}/{target}"
        env = os.environ | {"DATABASE_URL": url, "MEDIA_ROOT": str(restored_media)}
        run = [sys.executable, "manage.py", "restore", str(archive)]
        result = subprocess.run(run, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        with psycopg.connect(dbname=target, **server) as restored:
            [(households,)] = restored.execute("SELECT count(*) FROM regions_household").fetchall()
        assert households == Household.objects.count() == 4
        assert (restored_media / "jobs" / "in" / "households.csv").read_bytes() == b"number\n1\n"

        again = subprocess.run(run, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300)
        assert again.returncode != 0
        assert "already has" in again.stderr
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
