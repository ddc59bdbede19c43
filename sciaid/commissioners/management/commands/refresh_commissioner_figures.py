"""`manage.py refresh_commissioner_figures [--check]`: compare the stored village-year figures of the service logs
with the confirmed logs, print every row that differs (village, year, figure: stored → counted), and repair them.
The services keep the figures themselves; run it after a bulk load or restore that went around them, and as a
nightly check (`--check` repairs nothing and fails when a row differs)."""

from django.core.management.base import BaseCommand, CommandError

from sciaid.commissioners.logs.figures import repair_figures


class Command(BaseCommand):
    help = "Find and repair stored commissioner village figures that differ from the confirmed service logs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="Only report the differences; fail when any.")

    def handle(self, *args, check: bool = False, **options) -> None:
        drifts = repair_figures(dry_run=check)
        for drift in drifts:
            self.stdout.write(f"{drift.village.name} {drift.village.code} {drift.year}: {drift.changes()}")
        if not drifts:
            self.stdout.write("The stored village figures agree with the confirmed logs.")
        elif check:
            raise CommandError(f"{len(drifts)} village-year figures differ from the confirmed logs.")
        else:
            self.stdout.write(f"{len(drifts)} village-year figures repaired.")
