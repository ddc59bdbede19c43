"""SLA clocks: each county's targets, the deadline of a stage in working hours, and the sweeps that escalate overdue
demands and close the ones never rated."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sciaid.accounts.models import RoleGrant, User
from sciaid.assistance.choices import OPEN_STATES, DemandStatus
from sciaid.assistance.models import Demand, SlaPolicy
from sciaid.core import audit
from sciaid.core.calendar import WorkCalendar
from sciaid.core.context import acting_as
from sciaid.core.models import ChangeAction, ObjectChange
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import area_allows
from sciaid.core.services import service
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


def sla_hours(village: Area | None) -> dict[str, int]:
    """The SLA targets of the village's county (its SlaPolicy), or the platform defaults."""
    if village is not None:
        county_code = village.code[:6].ljust(12, "0")
        policy = SlaPolicy.objects.filter(county__code=county_code).first()
        if policy is not None:
            return policy.hours()
    return dict(settings.ASSISTANCE_SLA_HOURS)


def due(stage: str, start: datetime, calendar: WorkCalendar | None = None, village: Area | None = None) -> datetime:
    """The deadline of `stage` started at `start`, in working hours on the work calendar, by the county's targets."""
    calendar = calendar or WorkCalendar(timezone.localdate(start))
    return calendar.deadline(start, sla_hours(village)[stage])


@service
def set_sla_policy(user, county: Area, *, triage_hours: int, accept_hours: int, resolve_hours: int) -> SlaPolicy:
    """A county admin sets the county's SLA targets; deadlines already running keep theirs."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("SLA targets are set for a county.")})
    if not area_allows(user, county, SlaPolicy.scope.change):
        raise PermissionDenied(_("This county is outside your jurisdiction."))
    policy = SlaPolicy.objects.filter(county=county).first() or SlaPolicy(county=county)
    policy.triage_hours, policy.accept_hours, policy.resolve_hours = triage_hours, accept_hours, resolve_hours
    policy.full_clean()
    policy.save()
    return policy


def close_unrated(now: datetime | None = None) -> int:
    """Close the demands resolved more than settings.ASSISTANCE_AUTO_CLOSE_DAYS ago and still unrated.

    The days count from the resolution *and* from the row's last change: a resolution a county entered today for
    last March (`occurred_on`) leaves the farmer the whole window to rate it, instead of being closed by the next
    sweep.

    Set-based: the due rows are locked with FOR UPDATE SKIP LOCKED (rows another sweep holds are left to it), closed
    by conditional UPDATEs in batches and audited in bulk, so two sweeps at once close each demand once. Returns how
    many this run closed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ASSISTANCE_AUTO_CLOSE_DAYS)
    with transaction.atomic(), acting_as(None):
        demands = locked_for_sweep(
            Demand.objects.filter(status=DemandStatus.RESOLVED, resolved_at__lt=cutoff, updated_at__lt=cutoff)
        )
        closed = sum(
            Demand.objects.filter(pk__in=[d.pk for d in batch], status=DemandStatus.RESOLVED).update(
                status=DemandStatus.CLOSED, closed_at=now, updated_at=now
            )
            for batch in batched(demands, SWEEP_BATCH)
        )
        audit_transitions(demands, {"status": DemandStatus.RESOLVED}, {"status": DemandStatus.CLOSED}, "auto_close")
    return closed


# --- SLA escalation -----------------------------------------------------------------------------------------------

#: Who hears of an overdue demand at each escalation level: 1 the county desk, 2 the county admin, 3 the city.
#: (role, digits of the division code of the area whose holders are told): county, county, city.
ESCALATION_TIERS = ((Role.TRIAGE_OFFICER, 6), (Role.COUNTY_ADMIN, 6), (Role.PLATFORM_ADMIN, 4))


#: Demands moved by one UPDATE of a sweep at most (bounded statement size on every database).
SWEEP_BATCH = 5000
#: Demand titles listed in an overdue digest at most.
DIGEST_TITLES = 10


def locked_for_sweep(demands) -> list[Demand]:
    """The rows a sweep will move, locked for its transaction; rows another sweep (or a transition) holds are
    skipped, as they are being moved. Only what the audit log and the digest need is loaded."""
    return list(
        demands.select_for_update(skip_locked=True, of=("self",))
        .select_related("village")
        .only("pk", "title", "escalation_level", "village__code")
        .order_by("due_at", "pk")
    )


def batched(items: Sequence, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def audit_transitions(demands: Sequence[Demand], before, after, note: str) -> None:
    """One audit entry per demand a sweep moved, in bulk inserts; `before` may be a function of the demand."""
    ObjectChange.objects.bulk_create(
        [
            audit.build(demand, ChangeAction.TRANSITION, before(demand) if callable(before) else before, after, note)
            for demand in demands
        ],
        batch_size=1000,
    )


def late_since(calendar: WorkCalendar, now: datetime, hours: float) -> datetime | None:
    """The latest deadline at least `hours` working hours behind `now` (every earlier one is too: working time only
    runs forward), found by bisection to the microsecond; None when not even a year back is that late."""
    low, high = now - timedelta(days=366), now
    if calendar.work_hours_between(low, now) < hours:
        return None
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if calendar.work_hours_between(middle, now) >= hours:
            low = middle
        else:
            high = middle
    return low


def escalate_overdue(now: datetime | None = None) -> int:
    """Raise overdue open demands to the tier their lateness has reached, and tell each tier's people in one digest.

    A demand overdue by less than ASSISTANCE_ESCALATION_STEP_HOURS working hours is at tier 1, then 2, then 3.
    Paused demands (waiting for the farmer) are skipped. Set-based, highest tier first: the deadline at which a
    demand is late enough for the tier is found once on the work calendar, the demands due by then and below the
    tier are locked (FOR UPDATE SKIP LOCKED: rows another sweep holds are its to move) and raised by conditional
    UPDATEs in batches, then audited in bulk. Each person of a tier gets one digest notification per sweep listing
    their newly overdue demands, so two sweeps at once raise, audit and report each demand once. Returns how many
    demands moved up.
    """
    now = now or timezone.now()
    step = settings.ASSISTANCE_ESCALATION_STEP_HOURS
    calendar = WorkCalendar(timezone.localdate(now) - timedelta(days=366), timezone.localdate(now))
    open_and_running = Demand.objects.filter(status__in=OPEN_STATES, paused_since__isnull=True)
    moved: dict[int, list[Demand]] = {}
    with transaction.atomic(), acting_as(None):
        for level in (3, 2, 1):
            since = now if level == 1 else late_since(calendar, now, (level - 1) * step)
            if since is None:
                continue
            due = Q(due_at__lt=now) if level == 1 else Q(due_at__lte=since)
            demands = locked_for_sweep(open_and_running.filter(due, escalation_level__lt=level))
            for batch in batched(demands, SWEEP_BATCH):
                Demand.objects.filter(pk__in=[d.pk for d in batch], escalation_level__lt=level).update(
                    escalation_level=level, updated_at=now
                )
            audit_transitions(
                demands, lambda d: {"escalation_level": d.escalation_level}, {"escalation_level": level}, "escalate"
            )
            moved[level] = demands
        tell_overdue(moved)
    return sum(len(demands) for demands in moved.values())


def tell_overdue(moved: dict[int, list[Demand]]) -> None:
    """One digest per person for a sweep: the demands that reached their tier (county desk, county admin, city)."""
    digests: dict[int, dict[int, Demand]] = defaultdict(dict)
    for level, demands in moved.items():
        role, digits = ESCALATION_TIERS[level - 1]
        by_area: dict[str, list[Demand]] = defaultdict(list)
        for demand in demands:
            by_area[demand.village.code[:digits].ljust(12, "0")].append(demand)
        holders = RoleGrant.objects.filter(role=role, area__code__in=list(by_area), user__is_active=True)
        for user_id, code in holders.values_list("user_id", "area__code"):
            digests[user_id].update((demand.pk, demand) for demand in by_area[code])
    users = User.objects.in_bulk(list(digests))
    url = f"{reverse('assistance:demand-list')}?overdue=true"
    for user_id, demands in sorted(digests.items()):
        notify(
            [users[user_id]],
            title=partial(digest_title, len(demands)),
            body=partial(digest_body, list(demands.values())),
            url=url,
            kind="demand.overdue",
        )


def digest_title(count: int) -> str:
    return ngettext("%(count)d demand is overdue", "%(count)d demands are overdue", count) % {"count": count}


def digest_body(demands: list[Demand]) -> str:
    """The first titles of a digest, one a line, and how many more there are."""
    lines = [demand.title for demand in demands[:DIGEST_TITLES]]
    if len(demands) > DIGEST_TITLES:
        lines.append(_("and %(count)d more") % {"count": len(demands) - DIGEST_TITLES})
    return "\n".join(lines)
