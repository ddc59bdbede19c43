"""Expert assistance (专家帮扶): demands received, resolved and judged valid, satisfaction, SLA.

Counted as the assistance statistics page counts them (`sciaid.assistance.statistics`), by the demand's village:
- received, rated, satisfied, judged, valid, SLA breaches: the demands *submitted* in the period;
- resolved: the demands whose service was delivered (resolved) in the period, whatever they are now.
A demand breaches its SLA when it is overdue now or was ever escalated; one that does not meets it.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.assistance.choices import OPEN_STATES
from sciaid.assistance.models import Demand
from sciaid.assistance.statistics import SATISFIED_RATING, Period, aware
from sciaid.regions.models import Area
from sciaid.reports.indicators.registry import Unit, Values, by_county, merged, ratio, source

RECEIVED = "assistance.demands_received"
RESOLVED = "assistance.demands_resolved"
RATED = "assistance.demands_rated"
SATISFIED = "assistance.demands_satisfied"
JUDGED = "assistance.demands_judged"
VALID = "assistance.demands_valid"
BREACHED = "assistance.sla_breached"
MET = "assistance.sla_met"


@source(
    "assistance",
    monthly=True,
    indicators=[
        (RECEIVED, _("Demands received"), Unit.COUNT, _("Demands submitted in the period.")),
        (RESOLVED, _("Demands resolved"), Unit.COUNT, _("Demands whose service was delivered in the period.")),
        (RATED, _("Demands rated"), Unit.COUNT, _("Demands submitted in the period and rated by the farmer.")),
        (
            SATISFIED,
            _("Demands rated satisfied"),
            Unit.COUNT,
            _("Demands submitted in the period and rated 4 or 5."),
        ),
        (JUDGED, _("Services judged"), Unit.COUNT, _("Demands submitted in the period whose service was judged.")),
        (VALID, _("Valid services"), Unit.COUNT, _("Demands submitted in the period judged a valid service.")),
        (
            BREACHED,
            _("SLA breached"),
            Unit.COUNT,
            _("Demands submitted in the period that are overdue now or were escalated."),
        ),
        (MET, _("SLA met"), Unit.COUNT, _("Demands submitted in the period never overdue nor escalated.")),
    ],
)
def assistance_figures(period: Period, counties: list[Area]) -> Values:
    """Two grouped queries: the demands submitted in the period, those resolved in it."""
    start, end = aware(period.start), aware(period.end)
    breached = Q(status__in=OPEN_STATES, paused_since__isnull=True, due_at__lt=timezone.now()) | Q(
        escalation_level__gt=0
    )
    submitted = by_county(
        Demand.objects.filter(submitted_at__gte=start, submitted_at__lt=end),
        "village__code",
        counties,
        **{
            RECEIVED: Count("pk"),
            RATED: Count("pk", filter=Q(rating__isnull=False)),
            SATISFIED: Count("pk", filter=Q(rating__gte=SATISFIED_RATING)),
            JUDGED: Count("pk", filter=Q(valid__isnull=False)),
            VALID: Count("pk", filter=Q(valid=True)),
            BREACHED: Count("pk", filter=breached),
        },
    )
    for row in submitted.values():
        row[MET] = row[RECEIVED] - row[BREACHED]
    resolved = by_county(
        Demand.objects.filter(resolved_at__gte=start, resolved_at__lt=end),
        "village__code",
        counties,
        **{RESOLVED: Count("pk")},
    )
    return merged(submitted, resolved)


ratio(
    "assistance.satisfaction",
    _("Satisfaction"),
    SATISFIED,
    RATED,
    _("Share of the rated demands rated 4 or 5."),
)
ratio("assistance.valid_rate", _("Valid service rate"), VALID, JUDGED, _("Share of the judged services found valid."))
ratio("assistance.sla_met_rate", _("SLA met"), MET, RECEIVED, _("Share of the demands received that met their SLA."))
