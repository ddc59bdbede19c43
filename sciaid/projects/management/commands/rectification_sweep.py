"""`manage.py rectification_sweep`: escalate rectification items past their deadline to the county admins.

Safe to run twice at once (from cron and from a scheduler alike): each item is escalated by a conditional UPDATE, so
it is escalated and notified once (see services.escalate_overdue_rectifications).
"""

from django.core.management.base import BaseCommand

from sciaid.projects.services import escalate_overdue_rectifications


class Command(BaseCommand):
    help = "Escalate open rectification items past their deadline to the county admins."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"escalated: {escalate_overdue_rectifications()}")
