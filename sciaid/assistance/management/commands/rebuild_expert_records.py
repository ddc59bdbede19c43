"""`manage.py rebuild_expert_records`: recompute every expert's service record (open workload, ratings, median
response time) from the assignments.

The services keep the records up to date as demands move; run this after loading assignments in bulk (imports,
the benchmark's COPY) or to repair records changed outside the services. Safe while the site runs: the records are
locked while they are recomputed.
"""

from django.core.management.base import BaseCommand

from sciaid.assistance.services import rebuild_records


class Command(BaseCommand):
    help = "Recompute the service record of every expert from the assignments."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"expert records rebuilt: {rebuild_records()}")
