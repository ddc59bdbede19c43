"""One sample object per county of every model the projects app serves, for the generic jurisdiction tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import Attachment, Call, Inspection, InspectionItem, Project, Rectification, Review
from sciaid.tests.samples import URL_KWARGS, sample

PDF = b"%PDF-1.4\n% sample document\n"


def persona(world, county: str, role: str, name: str) -> User:
    """County A's persona of this role, or a user of that role made for county B."""
    if county == "a":
        return world.users[name]
    user, created = User.objects.get_or_create(username=f"sample_projects_{name}_b")
    if created:
        RoleGrant.objects.create(user=user, role=role, area=world.areas["county_b"])
    return user


@sample(Call, fingerprints=lambda call: [call.title])
def call(world, county):
    return Call.objects.create(
        area=world.areas[f"county_{county}"],
        title=f"Sample call {county.upper()}",
        year=2020,
        budget_cap=Decimal("298000"),
        per_project_cap=Decimal("100000"),
        deadline=date(2020, 5, 31),
    )


@sample(Project, fingerprints=lambda project: [project.title])
def project(world, county):
    """A project in progress, declared by the county's applicant."""
    return Project.objects.create(
        call=Call.objects.get(title=f"Sample call {county.upper()}"),
        county=world.areas[f"county_{county}"],
        applicant=persona(world, county, Role.APPLICANT, "applicant"),
        organisation=f"Sample cooperative {county.upper()}",
        title=f"Sample project {county.upper()}",
        industry="Hu sheep",
        requested_amount=Decimal("80000"),
        approved_amount=Decimal("70000"),
        status=ProjectStatus.IN_PROGRESS,
    )


def project_of(county: str) -> Project:
    return Project.objects.get(title=f"Sample project {county.upper()}")


@sample(Review, fingerprints=lambda review: [])
def review(world, county):
    return Review.objects.create(project=project_of(county), reviewer=persona(world, county, Role.REVIEWER, "reviewer"))


@sample(Inspection, fingerprints=lambda inspection: [inspection.title])
def inspection(world, county):
    project = project_of(county)
    inspector = persona(world, county, Role.REVIEWER, "reviewer")
    made = Inspection.objects.create(
        area=world.areas[f"county_{county}"],
        title=f"Sample inspection {county.upper()}",
        year=2020,
        seed=7,
        project_count=1,
        inspector_count=1,
        project_pool=[project.pk],
        inspector_pool=[inspector.pk],
    )
    made.inspectors.add(inspector)
    return made


@sample(InspectionItem, fingerprints=lambda item: [])
def inspection_item(world, county):
    inspection = Inspection.objects.get(title=f"Sample inspection {county.upper()}")
    return InspectionItem.objects.create(inspection=inspection, project=project_of(county), position=1)


@sample(Rectification, fingerprints=lambda rectification: [])
def rectification(world, county):
    """With the file the applicant sent as evidence, so its file page has something to serve."""
    made = Rectification(
        project=project_of(county), description=f"Sample rectification {county.upper()}", deadline=date(2020, 10, 31)
    )
    made.evidence_file.save("evidence.pdf", ContentFile(PDF), save=False)
    made.save()
    return made


@sample(Attachment, fingerprints=lambda attachment: [])
def attachment(world, county):
    made = Attachment(project=project_of(county), name=f"Business licence {county.upper()}")
    made.file.save("licence.pdf", ContentFile(PDF), save=False)
    made.save()
    return made


URL_KWARGS["projects:project-edit"] = lambda project: {"pk": project.pk, "step": "basics"}
URL_KWARGS["projects:project-action"] = lambda project: {"pk": project.pk, "action": "reject"}
URL_KWARGS["projects:inspection-action"] = lambda inspection: {"pk": inspection.pk, "action": "publish"}
URL_KWARGS["projects:rectification-action"] = lambda rectification: {"pk": rectification.pk, "action": "close"}
