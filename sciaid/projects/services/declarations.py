"""Declaring (申报): the applicant's draft, edited step by step, its attachments, what still stops it, its submission,
and the county's formal check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.scoping import area_allows, granted_roles, is_unrestricted, user_grants
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.demonstration.models import DemoSite
from sciaid.demonstration.services import sites_of_county
from sciaid.funds.money import yuan
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import APPLICANTS, Attachment, BudgetLine, Call, Indicator, Project, TeamMember
from sciaid.projects.services.common import (
    clean_upload,
    managers_of,
    require_own,
    require_role,
    require_state,
    require_text,
    tell,
    to_amount,
)
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


def declaring_county(user, call: Call) -> Area:
    """The county a declaration belongs to: the call's own county, or the applicant's county under a wider call."""
    if call.area.level == AreaLevel.COUNTY and (is_unrestricted(user) or area_allows(user, call.area, APPLICANTS)):
        return call.area
    for grant in user_grants(user):
        if grant.role in APPLICANTS and call.area.covers(grant.area) and grant.area.level >= AreaLevel.COUNTY:
            return Area.objects.get(code=grant.area.code[:6].ljust(12, "0"))
    raise PermissionDenied(_("This call is not open to applicants of your area."))


def check_villages(call: Call, county: Area, villages: Iterable[Area]) -> list[Area]:
    villages = list(villages)
    eligible = list(call.eligible_areas.all())
    for village in villages:
        if village.level != AreaLevel.VILLAGE or not county.covers(village):
            raise ValidationError({"villages": _("%(name)s is not a village of the county.") % {"name": village.name}})
        if eligible and not any(area.pk == village.pk or area.covers(village) for area in eligible):
            raise ValidationError({"villages": _("%(name)s is not eligible for this call.") % {"name": village.name}})
    return villages


def check_sites(user, county: Area, sites: Iterable[DemoSite]) -> list[DemoSite]:
    """The demonstration sites a project shows its work at: sites of its county the applicant may see."""
    sites = list(sites)
    known = set(sites_of_county(user, county).filter(pk__in=[site.pk for site in sites]).values_list("pk", flat=True))
    if any(site.pk not in known for site in sites):
        raise ValidationError({"demo_sites": _("Choose demonstration sites of the county.")})
    return sites


def replace_children(project: Project, indicators=None, budget_lines=None, team=None) -> None:
    """Replace the draft's indicator, budget and team rows with the given ones (lists of dicts)."""
    if indicators is not None:
        project.indicators.all().delete()
        Indicator.objects.bulk_create(
            [
                Indicator(
                    project=project,
                    kind=row["kind"],
                    name=row.get("name", ""),
                    unit=row.get("unit", ""),
                    planned=to_amount(row["planned"], "indicators"),
                )
                for row in indicators
            ]
        )
    if budget_lines is not None:
        project.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    project=project,
                    category=row["category"],
                    description=row.get("description", ""),
                    amount=to_amount(row["amount"], "budget_lines"),
                )
                for row in budget_lines
            ]
        )
    if team is not None:
        project.team.all().delete()
        TeamMember.objects.bulk_create(
            [
                TeamMember(
                    project=project,
                    name=require_text(row["name"], "team", _("Every team member needs a name.")),
                    organisation=row.get("organisation", ""),
                    duty=row.get("duty", ""),
                    user=row.get("user"),
                )
                for row in team
            ]
        )


@service
def declare(
    user,
    call: Call,
    *,
    title: str,
    industry: str,
    requested_amount,
    organisation: str = "",
    partner: str = "",
    summary: str = "",
    villages: Iterable[Area] = (),
    demo_sites: Iterable[DemoSite] = (),
    indicators: Sequence[Mapping] | None = None,
    budget_lines: Sequence[Mapping] | None = None,
    team: Sequence[Mapping] | None = None,
) -> Project:
    """An applicant organisation starts a declaration: a draft it may edit until it submits it."""
    if not (is_unrestricted(user) or granted_roles(user) & APPLICANTS):
        raise PermissionDenied(_("Only applicant organisations declare projects."))
    if timezone.localdate() > call.deadline:
        raise ValidationError({"call": _("The call closed on %(day)s.") % {"day": call.deadline.isoformat()}})
    county = declaring_county(user, call)
    project = Project(
        call=call,
        county=county,
        applicant=user,
        organisation=require_text(
            organisation or user.organisation, "organisation", _("Name the applicant organisation.")
        ),
        title=require_text(title, "title", _("Give the project a title.")),
        industry=require_text(industry, "industry", _("Name the industry.")),
        partner=partner.strip(),
        summary=summary,
        requested_amount=to_amount(requested_amount, "requested_amount"),
    )
    project.full_clean(exclude=["call", "county", "applicant"])
    project.save()
    project.villages.set(check_villages(call, county, villages))
    project.demo_sites.set(check_sites(user, county, demo_sites))
    replace_children(project, indicators, budget_lines, team)
    return project


#: What an applicant may change in a draft.
DRAFT_FIELDS = frozenset({"title", "industry", "organisation", "partner", "summary", "requested_amount"})


@service
def update_draft(
    user, project: Project, *, villages=None, demo_sites=None, indicators=None, budget_lines=None, team=None, **fields
):
    """The applicant edits the draft (or a declaration returned for changes); nothing else may change it."""
    require_own(user, project)
    if project.status != ProjectStatus.DRAFT:
        raise TransitionRefused(
            _("Only a draft can be edited; this declaration is “%(state)s”.") % {"state": project.get_status_display()}
        )
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise ValidationError(
            {"non_field_errors": _("These fields cannot be edited: %(f)s.") % {"f": ", ".join(unknown)}}
        )
    for name, value in fields.items():
        if name == "requested_amount":
            value = to_amount(value, name)
        elif name in ("title", "industry", "organisation"):
            value = require_text(value, name, _("This field is required."))
        setattr(project, name, value)
    project.full_clean(exclude=["call", "county", "applicant"])
    project.save()
    if villages is not None:
        project.villages.set(check_villages(project.call, project.county, villages))
    if demo_sites is not None:
        project.demo_sites.set(check_sites(user, project.county, demo_sites))
    replace_children(project, indicators, budget_lines, team)
    return project


@service
def attach(user, project: Project, *, name: str, file) -> Attachment:
    """The applicant attaches a document to the draft (checked for type and size; the stored name is ours)."""
    require_own(user, project)
    if project.status not in (ProjectStatus.DRAFT, ProjectStatus.IN_PROGRESS):
        raise TransitionRefused(_("Documents are attached to a draft or to a project in progress."))
    clean_upload(file)
    attachment = Attachment(project=project, name=require_text(name, "name", _("Name the document.")))
    attachment.file.save(file.name, file, save=False)
    attachment.save()
    return attachment


def declaration_problems(project: Project) -> list[str]:
    """What still stops a draft from being submitted (empty when it is complete)."""
    problems = []
    call = project.call
    lines = project.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if lines != project.requested_amount:
        problems.append(
            _("The budget lines sum to %(lines)s but the request is %(request)s.")
            % {"lines": yuan(lines), "request": yuan(project.requested_amount)}
        )
    if project.requested_amount <= 0:
        problems.append(_("Request an amount."))
    if project.requested_amount > call.per_project_cap:
        problems.append(
            _("The request exceeds the call's cap of %(cap)s per project.") % {"cap": yuan(call.per_project_cap)}
        )
    if not project.indicators.exists():
        problems.append(_("Add at least one indicator."))
    if not project.villages.exists():
        problems.append(_("Name the villages the project serves."))
    missing = missing_attachments(project)
    if missing:
        problems.append(_("Attach: %(names)s.") % {"names": ", ".join(missing)})
    return problems


def missing_attachments(project: Project) -> list[str]:
    """The call's required documents this declaration has not attached yet, in the call's order."""
    attached = set(project.attachments.values_list("name", flat=True))
    return [name for name in project.call.required_attachments if name not in attached]


@service
def submit(user, project: Project) -> Project:
    """The applicant submits a complete draft before the call's deadline; the county is told."""
    require_role(user, Project.workflow, "submit")
    require_state(project, "submit")
    require_own(user, project)
    if timezone.localdate() > project.call.deadline:
        raise ValidationError(_("The call closed on %(day)s.") % {"day": project.call.deadline.isoformat()})
    problems = declaration_problems(project)
    if problems:
        raise ValidationError(problems)
    Project.workflow.apply(project, "submit", user, submitted_at=timezone.now(), check_comment="")
    tell(managers_of(project), project, "submitted", gettext_lazy("New project declaration to check"))
    return project


@service
def check(user, project: Project, *, passed: bool, comment: str = "") -> Project:
    """The county's formal check: pass it on to review, or return it to the applicant with comments (返回修改)."""
    require_role(user, Project.workflow, "check")
    if passed:
        Project.workflow.apply(project, "check", user, check_comment=comment.strip())
        tell([project.applicant], project, "checked", gettext_lazy("Your declaration passed the formal check"))
    else:
        comment = require_text(comment, "comment", _("Say what the applicant must change."))
        Project.workflow.apply(project, "return", user, note=comment, check_comment=comment)
        tell([project.applicant], project, "returned", gettext_lazy("Your declaration was returned for changes"))
    return project
