"""`manage.py sla_sweep`: escalate overdue demands and close the unrated ones (the Celery beat tasks' work).

Safe to run twice at once, from cron and from beat alike: each sweep locks the rows it moves (FOR UPDATE SKIP
LOCKED, so rows another sweep holds are left to it) and moves them by conditional UPDATEs (see
services.escalate_overdue and services.close_unrated), so a demand is escalated, audited and reported once, and
closed once. Each person told gets one digest per sweep.
"""

from django.core.management.base import BaseCommand

from sciaid.assistance.services import close_unrated, escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue demands one tier and close demands resolved long ago and never rated."

    def handle(self, *args, **options) -> None:
        escalated = escalate_overdue()
        closed = close_unrated()
        self.stdout.write(f"escalated: {escalated}\nclosed unrated: {closed}")
