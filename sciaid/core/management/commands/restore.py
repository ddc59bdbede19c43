"""`manage.py restore ARCHIVE [--force]`: put a backup back (sciaid.core.backups); refuses existing data unless
forced."""

from pathlib import Path
from subprocess import CalledProcessError

from django.core.management.base import BaseCommand, CommandError

from sciaid.core.backups import RestoreRefused, restore


class Command(BaseCommand):
    help = "Restore a `manage.py backup` archive into an empty database and MEDIA_ROOT (or over them with --force)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar written by `manage.py backup`")
        parser.add_argument("--force", action="store_true", help="replace the data already there")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args, archive: str, force: bool, database: str, **options):
        source = Path(archive)
        if not source.is_file():
            raise CommandError(f"{source} does not exist")
        try:
            manifest = restore(source, database, force=force)
        except CalledProcessError as failed:
            raise CommandError(f"pg_restore failed: {failed.stderr.decode(errors='replace').strip()}") from None
        except RestoreRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"restored the backup of {manifest['created']}")
