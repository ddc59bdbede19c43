"""Fill the work calendar from the chinesecalendar package: `manage.py load_work_calendar --from 2019 --to 2026`."""

from django.core.management.base import BaseCommand, CommandError

from sciaid.core.calendar import load_work_calendar


class Command(BaseCommand):
    help = "Copy statutory holidays and make-up working days from the chinesecalendar package (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, required=True, help="first year")
        parser.add_argument("--to", dest="last", type=int, required=True, help="last year")
        parser.add_argument(
            "--replace", action="store_true", help="make days already in the table match the package again"
        )

    def handle(self, *args, first: int, last: int, replace: bool, **options):
        if first > last:
            raise CommandError("--from must not be after --to.")
        created, updated = load_work_calendar(first, last, replace=replace)
        self.stdout.write(f"{created} days added, {updated} days corrected.")
