"""Recount the public portal's tallies (`core.portal`): after bulk loads (demo seeding, benchmark COPY loads, imports
that bypass the services) or to repair drift; the services keep them the rest of the time."""

from django.core.management.base import BaseCommand, CommandError

from sciaid.core.portal import portal_tallies, recount_all


class Command(BaseCommand):
    help = "Recount every figure the public portal shows, per area and year (or only the tallies named)."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="tally names (default: all)")

    def handle(self, *args, names: list[str], **options):
        known = {tally.name for tally in portal_tallies()}
        unknown = sorted(set(names) - known)
        if unknown:
            raise CommandError(f"unknown tallies {unknown}; known: {sorted(known)}")
        written = recount_all(names or None)
        self.stdout.write(f"{written} portal figures recounted")
