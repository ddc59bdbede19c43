"""Samples of the commissioners' models for the generic jurisdiction tests (see sciaid/tests/samples.py): one
batch, candidate, team, agreement, service log, allocation rule, workstation, appraisal rubric and sheet per county
of the test world, built on the experts app's sample commissioner of the county."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from sciaid.accounts.models import RoleGrant, User
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.models import (
    Agreement,
    AllocationRule,
    Appraisal,
    AppraisalRubric,
    Batch,
    Candidate,
    LogPhoto,
    ServiceLog,
    Team,
    TeamMember,
    Workstation,
)
from sciaid.core.roles import Role
from sciaid.experts.models import Expert, Pairing
from sciaid.tests.samples import URL_KWARGS, sample

YEAR = 2020


def sample_commissioner(county: str) -> Expert:
    """The experts app's sample commissioner of the county (registered before this module's samples)."""
    return Expert.objects.get(user__username=f"sample_expert_{county}")


@sample(Batch)
def batch(world, county):
    return Batch.objects.create(
        county=world.areas[f"county_{county}"], year=YEAR, title=f"Sample batch {county.upper()}"
    )


@sample(Candidate, search=lambda c: c.expert.name, fingerprints=lambda c: [c.expert.name])
def candidate(world, county):
    return Candidate.objects.create(batch=batch(world, county), expert=sample_commissioner(county))


@sample(Team)
def team(world, county):
    leader = sample_commissioner(county)
    made = Team.objects.create(
        county=world.areas[f"county_{county}"], year=YEAR, name=f"Sample team {county.upper()}", leader=leader
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
    pairing = Pairing.objects.get(expert=sample_commissioner(county), year=YEAR)
    return Agreement.objects.create(
        pairing=pairing,
        expert=pairing.expert,
        village=pairing.village,
        year=YEAR,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
        target_trainings=4,
        scan=ContentFile(b"%PDF-1.4\n% signed agreement\n", name="agreement.pdf"),
    )


@sample(ServiceLog, search=lambda log: log.summary, fingerprints=lambda log: [log.summary])
def service_log(world, county):
    return ServiceLog.objects.create(
        expert=sample_commissioner(county),
        village=world.areas[f"village_{county}1"],
        kind=ServiceKind.TRAINING,
        served_on=date(YEAR, 5, 1),
        summary=f"Sample service log {county.upper()}",
        participants=12,
    )


@sample(LogPhoto, fingerprints=lambda photo: [])
def log_photo(world, county):
    """A photo of the county's sample service log, served only through the protected view."""
    return LogPhoto.objects.create(
        log=ServiceLog.objects.get(summary=f"Sample service log {county.upper()}"),
        image=ContentFile(b"\xff\xd8\xff sample photo", name="photo.jpg"),
        width=1,
        height=1,
    )


URL_KWARGS["commissioners:batch-action"] = lambda b: {"pk": b.pk, "action": "close"}
URL_KWARGS["commissioners:candidate-action"] = lambda c: {"pk": c.pk, "action": "approve"}
URL_KWARGS["commissioners:agreement-action"] = lambda a: {"pk": a.pk, "action": "fulfil"}
URL_KWARGS["commissioners:log-action"] = lambda log: {"pk": log.pk, "action": "confirm"}


@sample(AllocationRule, fingerprints=lambda rule: [])
def allocation_rule(world, county):
    return AllocationRule.objects.create(
        county=world.areas[f"county_{county}"], year=YEAR, base_amount=Decimal("3400"), increment=Decimal("500")
    )


@sample(Workstation, fingerprints=lambda station: [station.name])
def workstation(world, county):
    """An application by an enterprise of the county for its first village."""
    applicant = User.objects.create_user(f"sample_applicant_{county}", password="pw")
    RoleGrant.objects.create(user=applicant, role=Role.APPLICANT, area=world.areas[f"county_{county}"])
    return Workstation.objects.create(
        name=f"Sample workstation {county.upper()}",
        organisation=f"Sample cooperative {county.upper()}",
        industry="河蟹养殖",
        village=world.areas[f"village_{county}1"],
        plan="Green crab farming",
        applicant=applicant,
    )


@sample(AppraisalRubric, fingerprints=lambda rubric: [])
def appraisal_rubric(world, county):
    return AppraisalRubric.objects.create(county=world.areas[f"county_{county}"], year=YEAR)


@sample(Appraisal, fingerprints=lambda sheet: [sheet.expert.name])
def appraisal(world, county):
    """The county's sample commissioner's sheet in the county's rubric."""
    return Appraisal.objects.create(
        rubric=AppraisalRubric.objects.get(county=world.areas[f"county_{county}"], year=YEAR),
        expert=Expert.objects.get(user__username=f"sample_expert_{county}"),
    )


#: Actions are one URL each: the jurisdiction tests post one that needs nothing but the button.
URL_KWARGS["commissioners:workstation-action"] = lambda station: {"pk": station.pk, "action": "file"}
URL_KWARGS["commissioners:appraisal-rubric-action"] = lambda rubric: {"pk": rubric.pk, "action": "compute"}
