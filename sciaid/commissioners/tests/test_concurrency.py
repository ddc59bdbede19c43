"""The commissioners' stored figures and postings under concurrency, each caller on its own PostgreSQL connection
(`sciaid.testing.at_once`): confirmations of one village's logs at the same moment all succeed and lose no count;
the same allocation rule posted twice at once pays once, and each answer says what that call did. Beside them, the
repair command that finds and fixes figures that drifted from the logs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from sciaid.commissioners.allocation import services as allocation
from sciaid.commissioners.allocation.models import AllocationRule
from sciaid.commissioners.logs import services as logs
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.logs.figures import repair_figures
from sciaid.commissioners.logs.models import ServiceLog, VillageYearFigures
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.commissioners.tests.factories import make_budget
from sciaid.funds.models import Allocation
from sciaid.testing import at_once

CONFIRMERS = 6


def submitted_logs(world, count: int) -> list[ServiceLog]:
    """`count` logs of village A1 awaiting confirmation, each bringing 2 varieties and 1 technique."""
    return [
        logs.log_service(
            world.expert,
            village=world.village_a1,
            kind=ServiceKind.TRAINING,
            served_on=on(3, n + 1),
            summary=f"稻虾共养培训 {n}",
            participants=10,
            varieties="稻虾1号\n龙虾苗\n",
            techniques="绿色防控\n",
        )
        for n in range(count)
    ]


def stored(world) -> tuple[int, ...]:
    row = VillageYearFigures.objects.get(village=world.village_a1, year=YEAR)
    return row.services, row.trainings, row.trainees, row.varieties, row.techniques


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_confirming_logs_of_one_village_at_once_neither_fails_nor_loses_counts(world, commissioner):
    needs_postgres()
    entries = submitted_logs(world, CONFIRMERS)
    outcomes = at_once(
        *[
            lambda pk=entry.pk: logs.confirm_log(world.info_officer, ServiceLog.objects.get(pk=pk)).pk
            for entry in entries
        ]
    )
    assert outcomes == [entry.pk for entry in entries]
    n = CONFIRMERS
    assert stored(world) == (n, n, 10 * n, 2 * n, n)
    assert VillageYearFigures.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_repair_while_logs_are_confirmed_loses_no_count(world, commissioner):
    """The repair recomputes every village while confirmations go on: whichever comes first, the other counts it."""
    needs_postgres()
    entries = submitted_logs(world, CONFIRMERS)
    confirm = [
        lambda pk=entry.pk: logs.confirm_log(world.info_officer, ServiceLog.objects.get(pk=pk)).pk for entry in entries
    ]
    outcomes = at_once(*confirm, repair_figures, repair_figures)
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    assert stored(world)[0] == CONFIRMERS


def test_the_repair_command_finds_and_fixes_drift(world, commissioner, make_commissioner):
    for entry in submitted_logs(world, 3):
        logs.confirm_log(world.info_officer, entry)
    li = make_commissioner("li", villages=["village_a2"])
    logs.import_log(
        world.county_admin,
        expert=li,
        village=world.village_a2,
        kind=ServiceKind.CONSULTATION,
        served_on=on(4),
        summary="病虫害咨询",
    )
    # A bulk load or a restore that went around the services: one village's row is wrong, another's is missing.
    VillageYearFigures.objects.filter(village=world.village_a1).update(services=1, varieties=0)
    VillageYearFigures.objects.filter(village=world.village_a2).delete()
    out = StringIO()
    with pytest.raises(CommandError, match="2 village-year figures differ"):
        call_command("refresh_commissioner_figures", "--check", stdout=out)
    assert f"姚祠村 340422105201 {YEAR}: services 1 → 3, varieties 0 → 6" in out.getvalue()
    assert f"新桥村 340422105202 {YEAR}: services 0 → 1" in out.getvalue()
    assert stored(world)[0] == 1  # a check changes nothing
    out = StringIO()
    call_command("refresh_commissioner_figures", stdout=out)
    assert "services 1 → 3, varieties 0 → 6" in out.getvalue()
    assert out.getvalue().strip().endswith("2 village-year figures repaired.")
    assert stored(world) == (3, 3, 30, 6, 3)
    assert VillageYearFigures.objects.get(village=world.village_a2, year=YEAR).services == 1
    out = StringIO()
    call_command("refresh_commissioner_figures", "--check", stdout=out)
    assert "agree with the confirmed logs" in out.getvalue()


# --- the allocation rule posted twice at once ------------------------------------------------------------------


@pytest.fixture
def posted_rule(world, make_commissioner):
    """A county-A rule for three commissioners (¥65,000 due) and a ¥100,000 budget to post it from."""
    for name, villages in (("li", ["village_a1"]), ("wang", ["village_a2", "village_a3"]), ("zhao", ["village_a3"])):
        make_commissioner(name, villages=villages)
    rule = allocation.save_allocation_rule(
        world.county_admin, county=world.county_a, year=YEAR, base_amount=20000, increment=5000
    )
    return rule, make_budget(world, YEAR)


def test_each_api_answer_says_what_that_post_did(api_for, posted_rule):
    rule, budget = posted_rule
    api = api_for("county_admin")
    answers = [api.post(reverse("allocation-rule-post", args=[rule.pk]), {"budget": budget.pk}) for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert [
        (a.json()["allocations_posted"], a.json()["allocations_already"], a.json()["amount_posted"]) for a in answers
    ] == [(3, 0, "65000.00"), (0, 3, "0.00")]
    assert answers[1].json()["posted_at"] == answers[0].json()["posted_at"]


def test_the_page_says_when_a_post_found_everything_posted(client_for, posted_rule, english):
    rule, budget = posted_rule
    client = client_for("county_admin")
    url = reverse("commissioners:allocation-post", args=[rule.pk])
    first = client.post(url, {"budget": budget.pk}, follow=True).content.decode()
    assert "3 allocations posted (¥65,000.00); 0 were already in the ledger." in first
    again = client.post(url, {"budget": budget.pk}, follow=True).content.decode()
    assert "Nothing was posted: the 3 allocations of this rule were already in the ledger." in again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_posting_a_rule_twice_at_once_pays_once_and_each_answer_says_what_it_did(world, posted_rule):
    needs_postgres()
    rule, budget = posted_rule

    def post():
        return allocation.post_allocation_rule(
            world.county_admin, AllocationRule.objects.get(pk=rule.pk), budget=budget
        )

    outcomes = at_once(post, post)
    assert not [outcome for outcome in outcomes if isinstance(outcome, BaseException)], outcomes
    assert sorted((result.posted, result.already, result.amount) for result in outcomes) == [
        (0, 3, 0),
        (3, 0, 65000),
    ]
    assert Allocation.objects.filter(budget=budget).count() == 3


def test_a_confirmation_refreshes_its_village_in_a_pinned_number_of_queries(
    world, commissioner, django_assert_num_queries
):
    first, second = submitted_logs(world, 2)
    logs.confirm_log(world.info_officer, first)  # the village's row and the portal's tallies exist from here on
    # The transition, its audit and notification, and the refresh: insert-if-missing, lock, two grouped counts, the
    # row's update, the village's code, and the portal's recount (insert-if-missing, lock, count, update).
    with django_assert_num_queries(21):
        logs.confirm_log(world.info_officer, second)
    assert stored(world)[0] == 2
