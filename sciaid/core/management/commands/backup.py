"""`manage.py backup [ARCHIVE]`: the database and the uploaded files in one tar (sciaid.core.backups)."""

from pathlib import Path
from subprocess import CalledProcessError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sciaid.core.backups import RestoreRefused, backup


class Command(BaseCommand):
    help = "Write the database (pg_dump -Fc, or a consistent SQLite copy) and MEDIA_ROOT into one tar archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", nargs="?", help="where to write it (default: $SCIAID_VAR_DIR/backups/sciaid-<time>.tar)"
        )
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, archive: str | None, database: str, **options):
        target = Path(archive) if archive else default_archive()
        try:
            backup(target, database)
        except CalledProcessError as failed:
            raise CommandError(f"pg_dump failed: {failed.stderr.decode(errors='replace').strip()}") from None
        except RestoreRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{target} ({target.stat().st_size} bytes)")


def default_archive() -> Path:
    return settings.VAR_DIR / "backups" / f"sciaid-{timezone.now():%Y%m%d-%H%M%S}.tar"
