"""`manage.py sla_sweep`: escalates an overdue demand once and closes an unrated one once, even run twice, and
even run twice at the same moment (PostgreSQL: two threads, two connections); each person of a tier gets one
digest per sweep, and every demand moved is audited once."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.core.models import Notification, ObjectChange
from sciaid.testing import build_world


def sweep() -> str:
    out = StringIO()
    call_command("sla_sweep", stdout=out)
    return out.getvalue()


def overdue_and_unrated(submit) -> tuple[Demand, Demand]:
    """One demand just past its triage deadline (tier 1: the county desk), one resolved 30 days ago, unrated."""
    overdue, resolved = submit(), submit(title="葡萄叶子发黄")
    Demand.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    Demand.objects.filter(pk=resolved.pk).update(
        status=DemandStatus.RESOLVED,
        resolved_at=timezone.now() - timedelta(days=30),
        updated_at=timezone.now() - timedelta(days=30),
        due_at=None,
    )
    return overdue, resolved


def overdue_notices(world) -> int:
    return Notification.objects.filter(recipient=world.triage, kind="demand.overdue").count()


def digests(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="demand.overdue"))


def digest_count(notification: Notification) -> int:
    """The number of demands a digest reports (its title's only number, in any language)."""
    return int(re.search(r"\d+", notification.title).group())


def audited(note: str) -> int:
    return ObjectChange.objects.filter(note=note).count()


def test_running_twice_escalates_and_closes_once(world, submit):
    overdue, resolved = overdue_and_unrated(submit)

    assert sweep().split("\n")[:2] == ["escalated: 1", "closed unrated: 1"]
    assert sweep().split("\n")[:2] == ["escalated: 0", "closed unrated: 0"]

    overdue.refresh_from_db()
    resolved.refresh_from_db()
    assert overdue.escalation_level == 1
    assert overdue_notices(world) == 1
    assert resolved.status == DemandStatus.CLOSED and resolved.rating is None


def test_paused_and_on_time_demands_are_left_alone(world, submit):
    paused, on_time = submit(), submit(title="葡萄叶子发黄")
    Demand.objects.filter(pk=paused.pk).update(
        due_at=timezone.now() - timedelta(hours=1), paused_since=timezone.now() - timedelta(hours=2)
    )
    assert sweep().split("\n")[:2] == ["escalated: 0", "closed unrated: 0"]
    assert Demand.objects.get(pk=on_time.pk).escalation_level == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers: no real concurrency to test")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_escalate_and_close_once(media_root):
    from sciaid.experts.models import Specialty

    world = build_world()
    demands = [
        services.submit_demand(
            world.info_officer,
            title=f"河蟹死亡 {n}",
            description="池塘河蟹死亡",
            specialty=Specialty.objects.get(code="river-crabs"),
            village=world.village_a1,
        )
        for n in range(20)
    ]
    Demand.objects.filter(pk__in=[d.pk for d in demands[:10]]).update(due_at=timezone.now() - timedelta(minutes=5))
    Demand.objects.filter(pk__in=[d.pk for d in demands[10:]]).update(
        status=DemandStatus.RESOLVED,
        resolved_at=timezone.now() - timedelta(days=30),
        updated_at=timezone.now() - timedelta(days=30),
        due_at=None,
    )
    barrier, outputs = threading.Barrier(2), []

    def run() -> None:
        try:
            barrier.wait()
            outputs.append(sweep())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    totals = [sum(int(out.split("\n")[i].rsplit(" ", 1)[1]) for out in outputs) for i in (0, 1)]
    assert totals == [10, 10]
    assert Demand.objects.filter(status=DemandStatus.CLOSED).count() == 10
    assert Demand.objects.filter(escalation_level=1).count() == 10
    # One digest per sweep that moved something, reporting each demand once between them.
    told = digests(world.triage)
    assert 1 <= len(told) <= 2 and sum(digest_count(n) for n in told) == 10
    assert (audited("escalate"), audited("auto_close")) == (10, 10)


#: A Wednesday without holidays around it: 30 working hours back is the day before yesterday's evening.
WEDNESDAY_NOON = timezone.make_aware(datetime(2026, 11, 25, 12))


def test_each_tier_gets_one_digest_listing_its_overdue_demands(world, submit):
    late = [submit(title=f"河蟹死亡 {n}") for n in range(12)]
    later = submit(title="蟹塘缺氧")
    Demand.objects.filter(pk__in=[d.pk for d in late]).update(due_at=WEDNESDAY_NOON - timedelta(hours=2))
    Demand.objects.filter(pk=later.pk).update(due_at=WEDNESDAY_NOON - timedelta(hours=30))

    assert services.escalate_overdue(WEDNESDAY_NOON) == 13

    (desk,) = digests(world.triage)
    assert digest_count(desk) == 12 and desk.url.endswith("?overdue=true")
    lines = desk.body.split("\n")
    assert len(lines) == 11 and set(lines[:10]) <= {d.title for d in late} and "2" in lines[10]
    (county,) = digests(world.county_admin)
    assert digest_count(county) == 1 and county.body == "蟹塘缺氧"
    assert not digests(world.county_admin_b)
    assert Demand.objects.get(pk=later.pk).escalation_level == 2
    assert audited("escalate") == 13


def test_a_demand_late_by_two_steps_goes_straight_to_the_city(world, submit):
    demand = submit()
    Demand.objects.filter(pk=demand.pk).update(due_at=WEDNESDAY_NOON - timedelta(hours=49))
    assert services.escalate_overdue(WEDNESDAY_NOON) == 1
    assert Demand.objects.get(pk=demand.pk).escalation_level == 3
    assert not digests(world.triage) and not digests(world.county_admin)
