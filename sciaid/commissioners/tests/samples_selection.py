"""Samples of selection batches, teams, agreements and service logs for the generic jurisdiction tests."""

from datetime import date

from sciaid.accounts.models import RoleGrant, User
from sciaid.commissioners.choices import ServiceKind
from sciaid.commissioners.models import Agreement, Batch, Candidate, ServiceLog, Team, TeamMember
from sciaid.core.roles import Role
from sciaid.experts.models import Expert, Pairing
from sciaid.tests.samples import URL_KWARGS, sample


def sample_commissioner(county: str) -> Expert:
    """The experts app's sample commissioner of the county (registered before this module's samples)."""
    return Expert.objects.get(user__username=f"sample_expert_{county}")


@sample(Batch)
def batch(world, county):
    return Batch.objects.create(
        county=world.areas[f"county_{county}"], year=2020, title=f"Sample batch {county.upper()}"
    )


@sample(Candidate, search=lambda c: c.expert.name, fingerprints=lambda c: [c.expert.name])
def candidate(world, county):
    return Candidate.objects.create(batch=batch(world, county), expert=sample_commissioner(county))


@sample(Team)
def team(world, county):
    leader = sample_commissioner(county)
    made = Team.objects.create(
        county=world.areas[f"county_{county}"], year=2020, name=f"Sample team {county.upper()}", leader=leader
    )
    members = [leader]
    for i in (1, 2):
        user = User.objects.create_user(f"sample_member_{county}{i}", password="pw")
        RoleGrant.objects.create(user=user, role=Role.EXPERT, area=world.areas[f"county_{county}"])
        members.append(
            Expert.objects.create(
                user=user,
                name=f"Sample teammate {county.upper()}{i}",
                organisation="Sample institute",
                home_area=world.areas[f"county_{county}"],
                is_commissioner=True,
            )
        )
    TeamMember.objects.bulk_create([TeamMember(team=made, expert=expert) for expert in members])
    made.villages.add(world.areas[f"village_{county}1"])
    return made


@sample(Agreement, search=lambda a: a.expert.name, fingerprints=lambda a: [a.expert.name])
def agreement(world, county):
    pairing = Pairing.objects.get(expert=sample_commissioner(county), year=2020)
    return Agreement.objects.create(
        pairing=pairing,
        expert=pairing.expert,
        village=pairing.village,
        year=2020,
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 12, 31),
        target_trainings=4,
    )


@sample(ServiceLog, search=lambda log: log.summary, fingerprints=lambda log: [log.summary])
def service_log(world, county):
    return ServiceLog.objects.create(
        expert=sample_commissioner(county),
        village=world.areas[f"village_{county}1"],
        kind=ServiceKind.TRAINING,
        served_on=date(2020, 5, 1),
        summary=f"Sample service log {county.upper()}",
        participants=12,
    )


URL_KWARGS["commissioners:batch-action"] = lambda b: {"pk": b.pk, "action": "close"}
URL_KWARGS["commissioners:candidate-action"] = lambda c: {"pk": c.pk, "action": "approve"}
URL_KWARGS["commissioners:agreement-action"] = lambda a: {"pk": a.pk, "action": "fulfil"}
URL_KWARGS["commissioners:log-action"] = lambda log: {"pk": log.pk, "action": "confirm"}
