"""`manage.py refresh_training_figures`: recompute every stored training figure after a bulk load or a restore that
bypassed the services (they keep the figures themselves otherwise)."""

from django.core.management.base import BaseCommand

from sciaid.training.services.figures import refresh_all_figures


class Command(BaseCommand):
    help = "Recompute the stored training figures from the sign-ins, ratings and events."

    def handle(self, *args, **options) -> None:
        rows = refresh_all_figures()
        self.stdout.write(f"Training figures of {rows} area-years recomputed.")
