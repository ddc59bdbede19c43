"""Recount villages and households per area (run nightly from cron or Celery beat, and after bulk loads)."""

from django.core.management.base import BaseCommand, CommandError

from sciaid.regions.models import Area
from sciaid.regions.services import refresh_area_statistics


class Command(BaseCommand):
    help = "Recount villages and households for every area (or under one area: --area CODE)."

    def add_arguments(self, parser):
        parser.add_argument("--area", help="12-digit division code; default: every area")

    def handle(self, *args, area=None, **options):
        root = None
        if area:
            root = Area.objects.filter(code=area).first()
            if root is None:
                raise CommandError(f"no area with code {area}")
        written = refresh_area_statistics(root)
        self.stdout.write(f"{written} areas recounted")
