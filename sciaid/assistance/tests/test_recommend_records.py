"""The experts' stored service records (open workload, ratings, median response time), which the recommendation
scores: every service that changes an assignment keeps them equal to a recomputation from the assignments, and
`rebuild_expert_records` repairs them."""

from __future__ import annotations

import contextlib
import threading
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciaid.assistance import services
from sciaid.assistance.models import ExpertRecord
from sciaid.assistance.recommend import recommend_experts, service_records
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Expert

NO_RECORD = (0, 0, 0, None)


def stored() -> dict[int, tuple]:
    return {
        r.expert_id: (r.open_assignments, r.ratings, r.rating_total, r.response_seconds)
        for r in ExpertRecord.objects.all()
    }


def recomputed() -> dict[int, tuple]:
    ids = Expert.objects.values_list("pk", flat=True)
    return {
        pk: (r.open_assignments, r.ratings, r.rating_total, r.response_seconds)
        for pk, r in service_records(ids).items()
    }


def assert_records_match() -> None:
    kept = stored()
    assert {pk: kept.get(pk, NO_RECORD) for pk in recomputed()} == recomputed()


#: What a random journey may try; refusals (wrong state, wrong county) are part of the journey.
ACTIONS = ("submit", "assign", "accept", "decline", "resolve", "rate", "close", "merge", "reject")
REFUSALS = (TransitionRefused, ValidationError, PermissionDenied)


def act(world, experts, submit, demands: list, action: str, pick: int, who: int, rating: int) -> None:
    reach = [experts[name] for name in ("expert", "expert_city", "expert_fruit")]
    chosen = [expert for bit, expert in enumerate(reach) if who >> bit & 1] or [experts["expert_b"]]
    expert_user = chosen[-1].user
    if action == "submit" or not demands:
        demands.append(submit(title=f"河蟹死亡{len(demands)}"))
        return
    demand = demands[pick % len(demands)]
    demand.refresh_from_db()
    calls = {
        "assign": lambda: services.assign(world.triage, demand, chosen),
        "accept": lambda: services.accept(expert_user, demand),
        "decline": lambda: services.decline(expert_user, demand, "不在专业范围"),
        "resolve": lambda: services.resolve(expert_user, demand, "换水，投放微生物制剂"),
        "rate": lambda: services.rate(world.info_officer, demand, rating),
        "close": lambda: services.close(world.triage, demand),
        "merge": lambda: services.merge(world.triage, demand, demands[(pick + 1) % len(demands)]),
        "reject": lambda: services.reject(world.triage, demand, "不属于技术需求"),
    }
    with contextlib.suppress(*REFUSALS):
        calls[action]()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 20), st.integers(0, 7), st.integers(1, 5)),
        min_size=1,
        max_size=40,
    )
)
def test_the_records_the_services_keep_equal_a_rebuild_after_any_journey(world, experts, submit, steps):
    demands: list = []
    for action, pick, who, rating in steps:
        act(world, experts, submit, demands, action, pick, who, rating)
    assert_records_match()


def test_a_full_journey_shows_in_the_record_and_the_reasons(world, experts, submit):
    served = submit(title="蟹塘水发绿")
    services.assign(world.triage, served, [experts["expert"]])
    services.accept(world.expert, served)
    services.resolve(world.expert, served, "换水")
    services.rate(world.info_officer, served, 5)
    services.assign(world.triage, submit(title="蟹苗死亡"), [experts["expert"]])

    record = ExpertRecord.objects.get(expert=experts["expert"])
    assert (record.open_assignments, record.ratings, record.rating_total, record.mean_rating) == (1, 1, 5, 5.0)
    assert record.response_seconds is not None and record.response_seconds < 60
    with translation.override("en"):
        reasons = next(r for r in recommend_experts(submit()) if r.expert == experts["expert"]).reasons
    assert {"1 open demands", "Rated 5.0 on average", "Answers in 0 h (median)"} <= set(reasons)


def test_resolving_frees_every_expert_still_assigned(world, experts, submit):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"], experts["expert_city"]])
    services.accept(world.expert, demand)
    assert ExpertRecord.objects.get(expert=experts["expert_city"]).open_assignments == 1
    services.resolve(world.expert, demand, "换水")
    assert ExpertRecord.objects.get(expert=experts["expert_city"]).open_assignments == 0
    assert_records_match()


def test_the_command_rebuilds_records_changed_outside_the_services(world, experts, submit):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    ExpertRecord.objects.update(open_assignments=40, ratings=3, rating_total=2)

    out = StringIO()
    call_command("rebuild_expert_records", stdout=out)

    assert out.getvalue().strip() == "expert records rebuilt: 1"  # only experts ever assigned have one
    assert_records_match()
    assert ExpertRecord.objects.get(expert=experts["expert"]).open_assignments == 1


def test_the_recommendation_reads_records_in_a_fixed_number_of_queries(
    world, experts, submit, django_assert_max_num_queries
):
    demand = submit()
    with CaptureQueriesContext(connection) as before:
        recommend_experts(demand)
    for n in range(4):
        busy = submit(title=f"忙{n}")
        services.assign(world.triage, busy, [experts["expert"], experts["expert_city"]])
        services.accept(world.expert, busy)
        services.resolve(world.expert, busy, "换水")
        services.rate(world.info_officer, busy, 4)
    with django_assert_max_num_queries(len(before.captured_queries)):
        recommend_experts(demand)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers: no real concurrency to test")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_assigning_the_same_expert_at_once_both_count(media_root):
    """Each transaction locks the record before recomputing it, so the second sees the first's assignment."""
    from sciaid.assistance.tests.conftest import make_expert
    from sciaid.experts.models import Specialty
    from sciaid.testing import build_world

    world = build_world()
    expert = make_expert(world, "expert")
    crabs = Specialty.objects.get(code="river-crabs")
    demands = [
        services.submit_demand(
            world.info_officer, title=f"河蟹死亡 {n}", description="蟹死亡", specialty=crabs, village=world.village_a1
        )
        for n in range(2)
    ]
    barrier = threading.Barrier(2)

    def run(demand) -> None:
        try:
            barrier.wait()
            services.assign(world.triage, demand, [expert])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(demand,)) for demand in demands]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ExpertRecord.objects.get(expert=expert).open_assignments == 2
    assert_records_match()
