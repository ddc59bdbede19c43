"""`manage.py refresh_market_figures`: recompute the stored market figures from the orders, and say how many rows
were wrong. The order services keep the figures themselves; run this after a bulk load or restore that bypassed
them, once after upgrading to stored figures, and nightly as a check (`sciaid.market.refresh_figures`)."""

from django.core.management.base import BaseCommand

from sciaid.market.services import refresh_market_figures


class Command(BaseCommand):
    help = "Recompute the stored market figures from the orders (repairs drift)."

    def handle(self, *args, **options) -> None:
        done = refresh_market_figures()
        self.stdout.write(f"Market figures: {done['rows']} rows recomputed, {done['repaired']} repaired.")
