"""Achievement transformation (成果转化): transfers signed, their contract value, and transfers applied.

Dated (`signed_on`, `applied_on`): monthly. Counted in the county of the transfer's area; cancelled transfers never
count. An applied transfer is one the achievements statistics count as introduced (`INTRODUCED_STATES`).
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from sciaid.achievements.choices import INTRODUCED_STATES, TransferStatus
from sciaid.achievements.models import Transfer
from sciaid.assistance.statistics import Period
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import Unit, Values, by_county, source

SIGNED = "achievements.transfers"
VALUE = "achievements.contract_value"
APPLIED = "achievements.transfers_applied"


@source(
    "achievements",
    monthly=True,
    indicators=[
        (SIGNED, _("Transfers"), Unit.COUNT, _("Transfers of achievements signed in the period, not cancelled.")),
        (VALUE, _("Transfer contract value"), Unit.YUAN, _("Contract value of those transfers.")),
        (APPLIED, _("Transfers applied"), Unit.COUNT, _("Transfers applied in the period (new varieties etc.).")),
    ],
)
def achievement_figures(period: Period, counties: list[Area]) -> Values:
    """One grouped query."""
    signed = Q(signed_on__gte=period.start, signed_on__lt=period.end) & ~Q(status=TransferStatus.CANCELLED)
    applied = Q(status__in=INTRODUCED_STATES, applied_on__gte=period.start, applied_on__lt=period.end)
    return by_county(
        Transfer.objects.filter(signed | applied),
        "area__code",
        counties,
        **{
            SIGNED: Count("pk", filter=signed),
            VALUE: Sum("contract_value", filter=signed),
            APPLIED: Count("pk", filter=applied),
        },
    )
