"""Certificate expiry alerts: 30 days before an approved certificate ends, its supplier and county are told once.

Run by the periodic task `sciaid.market.certificate_alerts` (Celery beat) or `manage.py market_certificate_alerts`
from cron; two runs at once send each alert once, because each certificate is claimed by a conditional UPDATE.
A certificate that has ended takes the supplier's products off sale by itself (`Supplier.certified_until`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.core.notifications import notify
from sciaid.market.choices import CertificateStatus
from sciaid.market.models import Certificate
from sciaid.market.services.common import county_admins, supplier_people

ALERT_DAYS = 30


def expiring(today: date) -> list[Certificate]:
    """Approved certificates ending within ALERT_DAYS from today that no alert was sent for."""
    return list(
        Certificate.objects.filter(
            status=CertificateStatus.APPROVED,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=ALERT_DAYS),
            alerted_at__isnull=True,
        ).select_related("supplier", "supplier__area")
    )


def send_expiry_alerts(today: date | None = None) -> int:
    """Tell the suppliers whose certificate ends soon, and their county; returns how many were told."""
    today = today or timezone.localdate()
    sent = 0
    for certificate in expiring(today):
        with transaction.atomic():
            claimed = Certificate.objects.filter(pk=certificate.pk, alerted_at__isnull=True).update(
                alerted_at=timezone.now()
            )
            if not claimed:
                continue
            supplier = certificate.supplier
            people = set(supplier_people(supplier)) | set(county_admins(supplier.area))
            notify(
                people,
                title=lambda certificate=certificate: (
                    _("Certificate %(number)s of %(supplier)s ends on %(day)s")
                    % {
                        "number": certificate.number,
                        "supplier": certificate.supplier.name,
                        "day": certificate.valid_until.isoformat(),
                    }
                ),
                body=lambda: _("Submit the renewed certificate, or the products leave the catalogue when it ends."),
                url=supplier.get_absolute_url(),
                kind="market.certificate_expiring",
            )
            sent += 1
    return sent
