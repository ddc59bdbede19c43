"""`manage.py market_certificate_alerts`: tell suppliers (and their county) whose certificate ends within 30 days.

Safe to run twice at once: each certificate's alert is claimed by a conditional UPDATE and sent once.
"""

from django.core.management.base import BaseCommand

from sciaid.market.services import send_expiry_alerts


class Command(BaseCommand):
    help = "Send the certificate expiry alerts due today."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"alerts sent: {send_expiry_alerts()}")
