"""The state-machine helper on the household workflow: guarded by role, jurisdiction and state; one race winner."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import translation

from sciaid.core.models import ChangeAction, ObjectChange
from sciaid.core.states import TransitionRefused
from sciaid.regions.choices import HouseholdStatus
from sciaid.regions.models import Household
from sciaid.regions.services import change_household_status


@pytest.fixture(autouse=True)
def _english():
    """Refusals are worded in the user's language; these tests read the English ones."""
    with translation.override("en"):
        yield


def test_an_allowed_transition_moves_the_row_and_is_audited(world):
    household = change_household_status(world.county_admin, world.household_a1, "lift", year=2020)

    stored = Household.objects.get(pk=household.pk)
    assert stored.status == HouseholdStatus.LIFTED
    assert stored.lifted_year == 2020
    entry = ObjectChange.objects.filter(action=ChangeAction.TRANSITION, object_id=str(household.pk)).get()
    assert entry.user == world.county_admin
    assert entry.before == {"status": "poor"}
    assert entry.after == {"status": "lifted", "lifted_year": 2020}
    assert entry.note == "lift"


def test_a_transition_from_the_wrong_state_is_refused_with_the_current_state(world):
    with pytest.raises(TransitionRefused, match="Poor"):
        change_household_status(world.county_admin, world.household_a1, "flag_at_risk")

    assert Household.objects.get(pk=world.household_a1.pk).status == HouseholdStatus.POOR


def test_a_role_without_the_right_is_refused(world):
    # An info officer may change the household's data but not declare it lifted out of poverty.
    with pytest.raises(TransitionRefused, match="role"):
        change_household_status(world.info_officer, world.household_a1, "lift")

    assert Household.objects.get(pk=world.household_a1.pk).status == HouseholdStatus.POOR


def test_a_household_outside_the_jurisdiction_is_refused(world):
    with pytest.raises(TransitionRefused, match="jurisdiction"):
        change_household_status(world.county_admin_b, world.household_a1, "lift")

    assert Household.objects.get(pk=world.household_a1.pk).status == HouseholdStatus.POOR


def test_an_unknown_transition_is_refused(world):
    with pytest.raises(TransitionRefused, match="Unknown"):
        change_household_status(world.county_admin, world.household_a1, "abolish")


def test_available_lists_only_what_this_user_may_do_now(world):
    names = {t.name for t in Household.workflow.available(world.household_a1, world.county_admin)}
    assert names == {"lift"}
    assert Household.workflow.available(world.household_a1, world.info_officer) == []


def test_of_two_stale_copies_applying_the_same_transition_one_wins_and_one_is_refused(world):
    first = Household.objects.get(pk=world.household_a1.pk)
    second = Household.objects.get(pk=world.household_a1.pk)

    change_household_status(world.county_admin, first, "lift")
    with pytest.raises(TransitionRefused, match="someone else"):
        change_household_status(world.county_admin, second, "lift")

    assert ObjectChange.objects.filter(action=ChangeAction.TRANSITION, object_id=str(first.pk)).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real two-connection race needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_racing_on_two_connections_produce_one_winner(world):
    """The second UPDATE waits for the first one's row lock, then finds the state gone and is refused."""
    first_applied = threading.Event()
    outcomes: dict[str, str] = {}

    def lift_holding_the_lock() -> None:
        with transaction.atomic():
            change_household_status(world.county_admin, Household.objects.get(pk=world.household_a1.pk), "lift")
            first_applied.set()
            # Keep the transaction open while the other connection tries the same UPDATE.
            threading.Event().wait(0.5)

    def lift_meanwhile() -> None:
        stale = Household.objects.get(pk=world.household_a1.pk)
        first_applied.wait(10)
        change_household_status(world.admin, stale, "lift")

    def run(name: str, body) -> None:
        try:
            body()
            outcomes[name] = "won"
        except TransitionRefused:
            outcomes[name] = "refused"
        finally:
            first_applied.set()
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", lift_holding_the_lock)),
        threading.Thread(target=run, args=("second", lift_meanwhile)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes == {"first": "won", "second": "refused"}
    household = Household.objects.get(pk=world.household_a1.pk)
    assert household.status == HouseholdStatus.LIFTED
    assert ObjectChange.objects.filter(action=ChangeAction.TRANSITION, object_id=str(household.pk)).count() == 1
