"""Periodic work of the market: certificate expiry alerts (daily, from Celery beat or cron)."""

from celery import shared_task

from sciaid.market.services import send_expiry_alerts


@shared_task(name="sciaid.market.certificate_alerts")
def certificate_alerts() -> int:
    return send_expiry_alerts()
