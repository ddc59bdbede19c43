"""Periodic work of the market: certificate expiry alerts and the check of the stored figures (daily, from Celery
beat or cron)."""

from celery import shared_task

from sciaid.market.services import refresh_market_figures, send_expiry_alerts


@shared_task(name="sciaid.market.certificate_alerts")
def certificate_alerts() -> int:
    return send_expiry_alerts()


@shared_task(name="sciaid.market.refresh_figures")
def refresh_figures() -> dict[str, int]:
    """Recompute the stored figures from the orders; what it repaired shows rows changed outside the services."""
    return refresh_market_figures()
