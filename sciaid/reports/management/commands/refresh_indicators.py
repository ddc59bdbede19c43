"""Recompute the stored indicator values (run nightly from cron or Celery beat, and after bulk loads)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.services import refresh_indicators


class Command(BaseCommand):
    help = "Recompute the indicators of every county for a year (default: this year), or under one area (--area)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the year to refresh; default: this year")
        parser.add_argument("--area", help="12-digit division code; default: every county")

    def handle(self, *args, year=None, area=None, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"the year must be between 2000 and 2100, not {year}")
        counties = None
        if area:
            root = Area.objects.filter(code=area).first()
            if root is None:
                raise CommandError(f"no area with code {area}")
            counties = Area.objects.filter(level=AreaLevel.COUNTY, code__range=root.subtree_bounds)
        written = refresh_indicators(year, counties)
        self.stdout.write(f"{written} indicator values of {year} written")
