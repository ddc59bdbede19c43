"""Samples of the commissioners' year for the generic jurisdiction tests (see sciaid/tests/samples.py): one
allocation rule, workstation, appraisal rubric and appraisal sheet per county of the test world."""

from __future__ import annotations

from decimal import Decimal

from sciaid.accounts.models import RoleGrant, User
from sciaid.commissioners.models import AllocationRule, Appraisal, AppraisalRubric, Workstation
from sciaid.core.roles import Role
from sciaid.experts.models import Expert
from sciaid.tests.samples import URL_KWARGS, sample

YEAR = 2020


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


@sample(Appraisal, fingerprints=lambda sheet: [])
def appraisal(world, county):
    """The county's sample commissioner's sheet in the county's rubric."""
    return Appraisal.objects.create(
        rubric=AppraisalRubric.objects.get(county=world.areas[f"county_{county}"], year=YEAR),
        expert=Expert.objects.get(user__username=f"sample_expert_{county}"),
    )


#: Actions are one URL each: the jurisdiction tests post one that needs nothing but the button.
URL_KWARGS["commissioners:workstation-action"] = lambda station: {"pk": station.pk, "action": "file"}
URL_KWARGS["commissioners:appraisal-rubric-action"] = lambda rubric: {"pk": rubric.pk, "action": "compute"}
