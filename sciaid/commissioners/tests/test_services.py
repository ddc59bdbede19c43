"""The commissioners' rules: selection, teams, agreements, service logs, and every refusal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sciaid.commissioners.agreements import services as agreements
from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.logs import services as logs
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.models import Candidate
from sciaid.commissioners.selection import services as selection
from sciaid.commissioners.selection.choices import CandidateStatus
from sciaid.commissioners.teams import services as teams
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.core.models import ChangeAction, Notification, ObjectChange
from sciaid.core.states import TransitionRefused
from sciaid.experts import services as experts
from sciaid.experts.models import Expert, Pairing

#: The refusals are asserted in English.
pytestmark = pytest.mark.usefixtures("english")


def log(user, village, **fields):
    defaults = {"kind": ServiceKind.TRAINING, "served_on": on(3), "summary": "稻虾共养培训", "participants": 20}
    return logs.log_service(user, village=village, **{**defaults, **fields})


# --- selection ---------------------------------------------------------------------------------------------------


@pytest.fixture
def batch(world):
    return selection.open_batch(world.users["county_admin"], county=world.areas["county_a"], year=YEAR, title="第一批")


def test_an_expert_applies_and_the_county_approves_making_them_a_commissioner(world, batch, make_commissioner):
    expert = make_commissioner("expert", villages=())
    Expert.objects.filter(pk=expert.pk).update(is_commissioner=False)
    candidate = selection.apply(world.users["expert"], batch, statement="愿意服务")
    selection.decide(world.users["county_admin"], candidate, approve=True)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.APPROVED and candidate.decided_at
    assert Expert.objects.get(pk=expert.pk).is_commissioner


def test_approval_marks_the_commissioner_through_the_experts_service_audited(world, batch, make_commissioner):
    expert = make_commissioner("expert", villages=())
    Expert.objects.filter(pk=expert.pk).update(is_commissioner=False)
    selection.decide(world.users["county_admin"], selection.apply(world.users["expert"], batch), approve=True)
    change = ObjectChange.objects.filter(content_type__model="expert", object_id=str(expert.pk)).latest("pk")
    assert (change.action, change.user) == (ChangeAction.UPDATE, world.users["county_admin"])
    assert change.before["is_commissioner"] is False and change.after["is_commissioner"] is True


def test_only_a_manager_of_the_selecting_area_marks_a_commissioner(world, make_commissioner):
    expert = make_commissioner("li", villages=())
    for outsider in ("county_admin_b", "expert", "supervisor"):
        with pytest.raises(PermissionDenied):
            experts.mark_commissioner(world.users[outsider], expert, selected_by=world.areas["county_a"])
    experts.mark_commissioner(world.users["county_admin"], expert, selected_by=world.areas["county_a"], value=False)
    assert not Expert.objects.get(pk=expert.pk).is_commissioner


def test_applying_twice_or_to_a_closed_batch_is_refused(world, batch, commissioner):
    selection.apply(world.users["expert"], batch)
    with pytest.raises(ValidationError, match="already"):
        selection.apply(world.users["expert"], batch)
    selection.close_batch(world.users["county_admin"], batch)
    with pytest.raises(ValidationError, match="closed"):
        selection.nominate(world.users["county_admin"], batch, commissioner)


def test_only_experts_apply(world, batch):
    with pytest.raises(PermissionDenied):
        selection.apply(world.users["farmer"], batch)


def test_a_rejection_needs_a_reason_and_only_the_county_decides(world, batch, commissioner):
    candidate = selection.nominate(world.users["county_admin"], batch, commissioner, nominated_by="安徽农业大学")
    with pytest.raises(ValidationError):
        selection.decide(world.users["county_admin"], candidate, approve=False)
    with pytest.raises(TransitionRefused):
        selection.decide(world.users["county_admin_b"], candidate, approve=True)
    with pytest.raises(TransitionRefused):
        selection.decide(world.users["expert"], candidate, approve=True)
    selection.decide(world.users["county_admin"], candidate, approve=False, reason="名额已满")
    with pytest.raises(TransitionRefused):
        selection.decide(world.users["county_admin"], candidate, approve=True)


def test_another_county_cannot_nominate_or_open_batches_here(world, batch, commissioner):
    with pytest.raises(PermissionDenied):
        selection.nominate(world.users["county_admin_b"], batch, commissioner)
    with pytest.raises(PermissionDenied):
        selection.open_batch(world.users["county_admin_b"], county=world.areas["county_a"], year=YEAR, title="x")
    with pytest.raises(ValidationError):
        selection.open_batch(world.users["admin"], county=world.areas["village_a1"], year=YEAR, title="x")


def test_only_the_candidate_withdraws(world, batch, commissioner):
    candidate = selection.apply(world.users["expert"], batch)
    with pytest.raises(PermissionDenied):
        selection.withdraw(world.users["county_admin"], candidate)
    selection.withdraw(world.users["expert"], candidate)
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.WITHDRAWN


# --- teams -------------------------------------------------------------------------------------------------------


def test_a_team_has_three_to_five_commissioners(world, make_commissioner):
    people = [make_commissioner(f"t{i}", villages=()) for i in range(6)]
    admin, county = world.users["county_admin"], world.areas["county_a"]
    fields = {"county": county, "year": YEAR, "name": "稻虾团队", "villages": [world.areas["village_a3"]]}
    with pytest.raises(ValidationError, match="3 to 5"):
        teams.save_team(admin, leader=people[0], members=people[1:2], **fields)
    with pytest.raises(ValidationError, match="3 to 5"):
        teams.save_team(admin, leader=people[0], members=people[1:], **fields)
    team = teams.save_team(admin, leader=people[0], members=people[1:3], **fields)
    assert sorted(team.members.values_list("expert_id", flat=True)) == sorted(p.pk for p in people[:3])
    with pytest.raises(ValidationError, match="Not villages"):
        teams.save_team(
            admin, **{**fields, "villages": [world.areas["village_b1"]]}, leader=people[0], members=people[1:3]
        )


def test_team_logs_count_towards_the_team_agreement(world, make_commissioner, english):
    people = [make_commissioner(f"t{i}", villages=()) for i in range(3)]
    village = world.areas["village_a3"]
    team = teams.save_team(
        world.users["county_admin"],
        county=world.areas["county_a"],
        year=YEAR,
        name="团队",
        leader=people[0],
        members=people[1:],
        villages=[village],
    )
    agreement = agreements.save_agreement(
        world.users["county_admin"],
        team=team,
        village=village,
        starts_on=on(1),
        ends_on=on(12, 31),
        target_trainings=2,
    )
    agreements.sign_agreement(world.users["county_admin"], agreement, signed_on=on(1, 5))
    entry = log(people[1].user, village, team=team)
    assert entry.agreement == agreement
    with pytest.raises(ValidationError):
        log(people[1].user, world.areas["village_a1"])


# --- agreements --------------------------------------------------------------------------------------------------


def test_an_agreement_follows_its_pairing_and_refuses_bad_terms(world, commissioner):
    pairing = Pairing.objects.get(expert=commissioner)
    admin = world.users["county_admin"]
    with pytest.raises(ValidationError, match="ends before"):
        agreements.save_agreement(admin, pairing=pairing, starts_on=on(6), ends_on=on(1))
    with pytest.raises(ValidationError, match="either"):
        agreements.save_agreement(admin, starts_on=on(1), ends_on=on(12))
    with pytest.raises(PermissionDenied):
        agreements.save_agreement(world.users["county_admin_b"], pairing=pairing, starts_on=on(1), ends_on=on(12))
    agreement = agreements.save_agreement(admin, pairing=pairing, starts_on=on(1), ends_on=on(12), target_trainings=4)
    assert (agreement.village, agreement.year, agreement.expert) == (pairing.village, YEAR, commissioner)
    with pytest.raises(ValidationError):
        agreements.sign_agreement(admin, agreement, signed_on=date.today() + timedelta(days=2))
    agreements.sign_agreement(admin, agreement, signed_on=on(1, 3))
    with pytest.raises(ValidationError):
        agreements.terminate_agreement(admin, agreement, reason=" ")
    agreements.fulfil_agreement(admin, agreement)
    with pytest.raises(ValidationError, match="cannot be changed"):
        agreements.save_agreement(admin, instance=agreement, target_trainings=9)
    with pytest.raises(TransitionRefused):
        agreements.terminate_agreement(admin, agreement, reason="迟了")
    assert agreement.status == AgreementStatus.FULFILLED


# --- service logs ------------------------------------------------------------------------------------------------


def test_a_commissioner_logs_in_a_paired_village_and_the_info_officer_confirms(world, commissioner):
    household = world.households["household_a1"]
    entry = log(world.users["expert"], world.areas["village_a1"], households=[household], varieties="龙虾\n稻种\n")
    assert entry.new_varieties == 2 and list(entry.households.all()) == [household]
    assert entry.status == LogStatus.SUBMITTED
    told = Notification.objects.filter(kind="commissioners.log_submitted").values_list("recipient__username", flat=True)
    assert list(told) == ["info_officer"]
    with pytest.raises(TransitionRefused):
        logs.confirm_log(world.users["info_officer_b"], entry)
    with pytest.raises(TransitionRefused):
        logs.confirm_log(world.users["expert"], entry)
    logs.confirm_log(world.users["info_officer"], entry)
    entry.refresh_from_db()
    assert entry.status == LogStatus.CONFIRMED and entry.confirmed_by == world.users["info_officer"]
    with pytest.raises(ValidationError, match="confirmed"):
        logs.update_log(world.users["expert"], entry, summary="改")


def test_log_refusals(world, commissioner):
    user, village = world.users["expert"], world.areas["village_a1"]
    with pytest.raises(ValidationError, match="not paired"):
        log(user, world.areas["village_a3"])
    with pytest.raises(ValidationError, match="future"):
        log(user, village, served_on=date.today() + timedelta(days=1))
    foreign = world.households["household_b1"]
    with pytest.raises(ValidationError, match="1 of the households chosen are not of this village") as refused:
        log(user, village, households=[world.households["household_a1"], foreign])
    assert foreign.number not in str(refused.value)
    with pytest.raises(ValidationError, match="latitude"):
        log(user, village, latitude="32.5")
    with pytest.raises(PermissionDenied):
        log(world.users["farmer"], village)


def test_a_returned_log_is_corrected_and_resubmitted(world, commissioner):
    entry = log(world.users["expert"], world.areas["village_a1"])
    with pytest.raises(ValidationError):
        logs.return_log(world.users["county_admin"], entry, note="")
    logs.return_log(world.users["county_admin"], entry, note="请补充照片")
    with pytest.raises(PermissionDenied):
        logs.update_log(world.users["county_admin"], entry, summary="x")
    logs.update_log(world.users["expert"], entry, participants=25)
    logs.resubmit_log(world.users["expert"], entry)
    entry.refresh_from_db()
    assert (entry.status, entry.participants, entry.return_note) == (LogStatus.SUBMITTED, 25, "")
