"""Two refreshes of the stored area statistics overlapping, each on its own PostgreSQL connection: the one that
counted later is the one whose counts stay. Without turns, a refresh that counted before a household was added and
wrote after a later refresh overwrote the fresh counts with stale ones, until the next refresh."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sciaid.regions import services
from sciaid.regions.models import AreaStatistics, Household
from sciaid.testing import at_once


def backend_waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_that_counted_earlier_never_overwrites_a_later_one(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with locks: run with DATABASE_URL on PostgreSQL")
    counted, go = threading.Event(), threading.Event()
    stale = threading.current_thread().name + "-stale"
    write = services.write_area_statistics

    def held_write(*args, **kwargs):
        if threading.current_thread().name == stale:  # the first refresh has its turn: hold its count and write
            counted.set()
            go.wait()
        return write(*args, **kwargs)

    monkeypatch.setattr(services, "write_area_statistics", held_write)
    outcomes: dict[str, object] = {}

    def refresh(name: str) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcomes[f"{name}-pid"] = cursor.fetchone()[0]
            outcomes[name] = services.refresh_area_statistics(world.county_a)
        except BaseException as error:
            outcomes[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=refresh, args=("first",), name=stale)
    first.start()
    counted.wait()
    # A household registered while the first refresh holds the counts it made before it.
    Household.objects.create(number="3404221052010099", village=world.village_a1, head_name="新户", members=2)
    second = threading.Thread(target=refresh, args=("second",))
    second.start()
    while second.is_alive() and not ("second-pid" in outcomes and backend_waits_for_a_lock(outcomes["second-pid"])):
        second.join(0.05)  # until the second refresh has written, or waits for the first one's turn
    go.set()
    first.join()
    second.join()
    assert isinstance(outcomes["first"], int) and isinstance(outcomes["second"], int), outcomes
    assert AreaStatistics.objects.get(area=world.county_a).households == 4  # three in the world's county A, and this
    assert AreaStatistics.objects.get(area=world.village_a1).households == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refreshes_at_once_all_succeed(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with locks: run with DATABASE_URL on PostgreSQL")
    outcomes = at_once(*[services.refresh_area_statistics] * 4)
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes
    assert AreaStatistics.objects.get(area=world.province).households == 4
