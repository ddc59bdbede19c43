"""Random supervision (双随机一公开): the reproducible draw, findings, publication; rectifications (整改) with evidence,
closing and the overdue sweep."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.assistance.services import people
from sciaid.core.context import acting_as
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, is_unrestricted, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.projects.choices import ProjectStatus, RectificationStatus
from sciaid.projects.models import MANAGERS, Inspection, InspectionItem, Project, Rectification
from sciaid.projects.services.common import clean_upload, managers_of, require_own, require_role, require_text, tell
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


def draw(seed: int, project_pool: Sequence[int], inspector_pool: Sequence[int], k: int, m: int):
    """The draw itself, a pure function: the same seed and ordered pools always give the same projects and
    inspectors (Python's `random.Random` is stable across versions for `sample` on a list)."""
    rng = random.Random(seed)
    return rng.sample(list(project_pool), k), rng.sample(list(inspector_pool), m)


def inspection_pools(county: Area) -> tuple[list[int], list[int]]:
    """The projects in progress in the county and the inspectors (reviewer role on the county or above), by id."""
    projects = Project.objects.filter(county=county, status=ProjectStatus.IN_PROGRESS).order_by("pk")
    codes = [*county.ancestor_codes(), county.code]
    inspectors = people(Role.REVIEWER, codes).order_by("pk")
    return list(projects.values_list("pk", flat=True)), list(inspectors.values_list("pk", flat=True))


@service
def draw_inspection(
    user, *, area: Area, title: str, year: int, project_count: int, inspector_count: int, seed: int | None = None
) -> Inspection:
    """The county draws k projects and m inspectors (双随机) with a recorded seed; the pools are recorded too."""
    if area.level != AreaLevel.COUNTY:
        raise ValidationError({"area": _("Inspections are drawn in a county.")})
    if not area_allows(user, area, MANAGERS):
        raise PermissionDenied(_("This county is outside your jurisdiction."))
    project_pool, inspector_pool = inspection_pools(area)
    if not 1 <= project_count <= len(project_pool):
        raise ValidationError(
            {"project_count": _("Draw between 1 and %(n)d projects in progress.") % {"n": len(project_pool)}}
        )
    if not 1 <= inspector_count <= len(inspector_pool):
        raise ValidationError(
            {"inspector_count": _("Draw between 1 and %(n)d inspectors.") % {"n": len(inspector_pool)}}
        )
    seed = secrets.randbits(31) if seed is None else seed
    projects, inspectors = draw(seed, project_pool, inspector_pool, project_count, inspector_count)
    inspection = Inspection(
        area=area,
        title=require_text(title, "title", _("Give the inspection a title.")),
        year=year,
        seed=seed,
        project_count=project_count,
        inspector_count=inspector_count,
        project_pool=project_pool,
        inspector_pool=inspector_pool,
    )
    inspection.full_clean(exclude=["area"])
    inspection.save()
    inspection.inspectors.set(inspectors)
    InspectionItem.objects.bulk_create(
        [InspectionItem(inspection=inspection, project_id=pk, position=i) for i, pk in enumerate(projects, start=1)]
    )
    url = inspection.get_absolute_url()
    notify(
        User.objects.filter(pk__in=inspectors),
        title=gettext_lazy("You were drawn as an inspector"),
        body=title,
        url=url,
        kind="project.inspection",
    )
    for project in Project.objects.filter(pk__in=projects).select_related("applicant"):
        tell([project.applicant], project, "inspection", gettext_lazy("Your project was drawn for inspection"))
    return inspection


@dataclass(frozen=True)
class Verification:
    """A re-run of a draw: what the seed gives over the recorded pools, and whether it matches what was recorded."""

    projects: list[int]
    inspectors: list[int]
    recorded_projects: list[int]
    recorded_inspectors: list[int]

    @property
    def matches(self) -> bool:
        return self.projects == self.recorded_projects and sorted(self.inspectors) == sorted(self.recorded_inspectors)


def verify(inspection: Inspection) -> Verification:
    """Anyone may re-run the draw from the recorded seed and pools and compare it with the recorded result."""
    projects, inspectors = draw(
        inspection.seed,
        inspection.project_pool,
        inspection.inspector_pool,
        inspection.project_count,
        inspection.inspector_count,
    )
    recorded = list(inspection.items.order_by("position").values_list("project_id", flat=True))
    return Verification(projects, inspectors, recorded, list(inspection.inspectors.values_list("pk", flat=True)))


@service
def record_finding(
    user, item: InspectionItem, *, level: str, findings: str, rectifications: Sequence[Mapping] = ()
) -> InspectionItem:
    """A drawn inspector (or the county) records what was found on one project, with the items to rectify."""
    inspection = item.inspection
    is_inspector = inspection.inspectors.filter(pk=getattr(user, "pk", None)).exists()
    if not (is_inspector or is_unrestricted(user) or area_allows(user, inspection.area, MANAGERS)):
        raise PermissionDenied(_("Only the drawn inspectors record findings."))
    project = item.project
    if project.status != ProjectStatus.IN_PROGRESS:
        raise TransitionRefused(_("Findings are recorded on projects in progress."))
    item.level = level
    item.findings = require_text(findings, "findings", _("Describe what you found."))
    item.recorded_at = timezone.now()
    item.full_clean(exclude=["inspection", "project"])
    item.save()
    for row in rectifications:
        add_rectification(project, description=row.get("description", ""), deadline=row.get("deadline"), item=item)
    tell(
        [project.applicant, *managers_of(project)],
        project,
        "finding",
        gettext_lazy("Inspection findings were recorded"),
    )
    return item


def add_rectification(project: Project, *, description: str, deadline, item: InspectionItem | None = None):
    if project.status != ProjectStatus.IN_PROGRESS:
        raise TransitionRefused(_("Rectifications attach to projects in progress."))
    if not deadline:
        raise ValidationError({"deadline": _("Give the rectification a deadline.")})
    return Rectification.objects.create(
        project=project,
        item=item,
        description=require_text(description, "description", _("Say what must be rectified.")),
        deadline=deadline,
    )


@service
def create_rectification(user, project: Project, *, description: str, deadline: date) -> Rectification:
    """The county orders a rectification on a project in progress (beyond those that inspections raise)."""
    if not (is_unrestricted(user) or granted_roles(user) & MANAGERS) or not may(user, project, CHANGE):
        raise PermissionDenied(_("Only the county orders rectifications."))
    rectification = add_rectification(project, description=description, deadline=deadline)
    tell(
        [project.applicant],
        project,
        "rectification",
        gettext_lazy("A rectification was ordered"),
        rectification.get_absolute_url(),
    )
    return rectification


@service
def publish_inspection(user, inspection: Inspection) -> Inspection:
    """The county publishes the results (一公开) once every drawn project's findings are recorded."""
    if not area_allows(user, inspection.area, MANAGERS):
        raise PermissionDenied(_("Only the county publishes inspection results."))
    if inspection.published_at:
        raise TransitionRefused(_("The results are already published."))
    if inspection.items.filter(recorded_at__isnull=True).exists():
        raise ValidationError(_("Record the findings of every drawn project first."))
    inspection.published_at = timezone.now()
    inspection.save()
    return inspection


@service
def submit_evidence(user, rectification: Rectification, *, evidence: str, evidence_file=None) -> Rectification:
    """The applicant shows what was put right."""
    require_role(user, Rectification.workflow, "submit_evidence")
    require_own(user, rectification.project)
    evidence = require_text(evidence, "evidence", _("Describe what was rectified."))
    if evidence_file:
        clean_upload(evidence_file, "evidence_file")
        rectification.evidence_file.save(evidence_file.name, evidence_file, save=False)
        Rectification.objects.filter(pk=rectification.pk).update(evidence_file=rectification.evidence_file.name)
    Rectification.workflow.apply(rectification, "submit_evidence", user, evidence=evidence, submitted_at=timezone.now())
    tell(
        managers_of(rectification.project),
        rectification.project,
        "evidence",
        gettext_lazy("Rectification evidence to check"),
        rectification.get_absolute_url(),
    )
    return rectification


@service
def close_rectification(user, rectification: Rectification, *, accepted: bool = True, note: str = "") -> Rectification:
    """The county closes a rectification whose evidence convinces, or returns it as not yet rectified."""
    name = "close" if accepted else "reopen"
    require_role(user, Rectification.workflow, name)
    if not accepted:
        note = require_text(note, "note", _("Say what is still missing."))
    changes = {"closing_note": note, "closed_at": timezone.now() if accepted else None}
    Rectification.workflow.apply(rectification, name, user, note=note, **changes)
    project = rectification.project
    title = gettext_lazy("A rectification was closed") if accepted else gettext_lazy("A rectification was returned")
    tell([project.applicant], project, "rectification", title, rectification.get_absolute_url())
    return rectification


def escalate_overdue_rectifications(today: date | None = None) -> int:
    """Escalate open rectifications past their deadline to the county admins, once each (a conditional UPDATE, so
    two sweeps at once tell them once). Returns how many were escalated."""
    today = today or timezone.localdate()
    overdue = Rectification.objects.filter(
        status=RectificationStatus.OPEN, deadline__lt=today, escalated_at__isnull=True
    ).select_related("project", "project__county")
    escalated = 0
    with acting_as(None):
        for rectification in overdue.iterator(chunk_size=500):
            if not Rectification.objects.filter(pk=rectification.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            ):
                continue
            escalated += 1
            project = rectification.project
            tell(
                [*managers_of(project), project.applicant],
                project,
                "overdue",
                gettext_lazy("A rectification is overdue"),
                rectification.get_absolute_url(),
            )
    return escalated
