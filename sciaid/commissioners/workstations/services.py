"""Commissioner workstations from application to revocation: an enterprise or cooperative applies, the county sends
the application to reviewers, the province files or rejects it, a filed station reports activities, is appraised
yearly and receives funds through the ledger. Each step checks role, area and state, and is audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.commissioners.common import MANAGERS, REVIEWERS, needed_text, require_area, require_change
from sciaid.commissioners.workstations.choices import OrganisationKind, WorkstationStatus
from sciaid.commissioners.workstations.models import (
    Workstation,
    WorkstationActivity,
    WorkstationAppraisal,
    WorkstationReview,
)
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, is_unrestricted, user_grants
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.demonstration.models import DemoSite
from sciaid.demonstration.services import sites_of_county
from sciaid.experts.models import Expert
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Budget
from sciaid.funds.services import allocate
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


def decides_for_province(user, village: Area) -> bool:
    """Filing, rejecting and revoking workstations is the province's: a manager granted at province level."""
    if is_unrestricted(user):
        return True
    return any(
        grant.role in MANAGERS and grant.area.level == AreaLevel.PROVINCE and grant.area.covers(village)
        for grant in user_grants(user)
    )


def require_province(user, workstation: Workstation) -> None:
    if not decides_for_province(user, workstation.village):
        raise PermissionDenied(_("Only the province files, rejects or revokes workstations."))


def locked_workstation(workstation: Workstation) -> Workstation:
    return Workstation.objects.select_for_update().get(pk=workstation.pk)


def require_state(workstation: Workstation, *states: str) -> None:
    if workstation.status not in states:
        raise TransitionRefused(
            _("This cannot be done now: the workstation is “%(state)s”.") % {"state": workstation.get_status_display()}
        )


def check_site(user, village: Area, site: DemoSite | None) -> None:
    """A station is located at a site of its host village's county that the user may see, or at none."""
    if site is not None and not sites_of_county(user, village).filter(pk=site.pk).exists():
        raise ValidationError({"demo_site": _("Choose a demonstration site of the host village's county.")})


@service
def apply_workstation(
    user,
    *,
    name: str,
    organisation: str,
    industry: str,
    village: Area,
    plan: str,
    organisation_kind: str = OrganisationKind.ENTERPRISE,
    facilities: str = "",
    commissioners: Sequence[Expert] = (),
    demo_site: DemoSite | None = None,
) -> Workstation:
    """An enterprise or cooperative of the area applies to run a workstation in a host village (at a demonstration
    site of its county, if it has one)."""
    if village is None or village.level != AreaLevel.VILLAGE:
        raise ValidationError({"village": _("Choose the host village.")})
    require_area(user, village, {Role.APPLICANT})
    check_site(user, village, demo_site)
    if any(not expert.is_commissioner for expert in commissioners):
        raise ValidationError({"commissioners": _("Only S&T commissioners can be stationed at a workstation.")})
    workstation = Workstation(
        name=needed_text(name, "name", _("Name the workstation.")),
        organisation=needed_text(organisation, "organisation", _("Name the enterprise or cooperative.")),
        organisation_kind=organisation_kind,
        industry=needed_text(industry, "industry", _("Name the industry.")),
        village=village,
        demo_site=demo_site,
        facilities=(facilities or "").strip(),
        plan=needed_text(plan, "plan", _("Describe the work plan.")),
        applicant=user,
    )
    workstation.full_clean()
    workstation.save()
    workstation.commissioners.set(commissioners)
    return workstation


@service
def start_workstation_review(user, workstation: Workstation, *, reviewers: Sequence) -> Workstation:
    """The county (or province) sends an application to reviewers: users holding the reviewer or expert role."""
    reviewers = list(dict.fromkeys(reviewers))
    if not reviewers:
        raise ValidationError({"reviewers": _("Choose at least one reviewer.")})
    qualified = set(
        User.objects.filter(pk__in=[r.pk for r in reviewers], is_active=True, grants__role__in=REVIEWERS).values_list(
            "pk", flat=True
        )
    )
    if len(qualified) != len(reviewers):
        raise ValidationError({"reviewers": _("Reviewers must hold the reviewer or the expert role.")})
    Workstation.workflow.apply(workstation, "start_review", user)
    WorkstationReview.objects.bulk_create(
        [WorkstationReview(workstation=workstation, reviewer=reviewer) for reviewer in reviewers]
    )
    notify(
        reviewers,
        kind="workstation.review",
        title=lambda: _("Please review the workstation application “%(name)s”.") % {"name": workstation.name},
        url=workstation.get_absolute_url(),
    )
    return workstation


@service
def submit_workstation_review(user, workstation: Workstation, *, score: int, opinion: str) -> WorkstationReview:
    """An assigned reviewer scores the application (0–100) and gives an opinion; they may revise it until the
    province decides."""
    workstation = locked_workstation(workstation)
    review = WorkstationReview.objects.filter(workstation=workstation, reviewer_id=user.pk).first()
    if review is None:
        raise PermissionDenied(_("This application is not assigned to you."))
    require_state(workstation, WorkstationStatus.UNDER_REVIEW)
    if score is None or not 0 <= score <= 100:
        raise ValidationError({"score": _("Give a score from 0 to 100.")})
    review.score = score
    review.opinion = needed_text(opinion, "opinion", _("Give your opinion."))
    review.submitted_at = timezone.now()
    review.save()
    return review


@service
def file_workstation(user, workstation: Workstation, *, note: str = "") -> Workstation:
    """The province files (备案) a reviewed workstation."""
    require_province(user, workstation)
    require_state(workstation, WorkstationStatus.UNDER_REVIEW)
    if not workstation.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("No reviewer has scored this application yet."))
    now = timezone.now()
    return Workstation.workflow.apply(
        workstation, "file", user, filed_on=timezone.localdate(now), decided_at=now, decision_note=(note or "").strip()
    )


@service
def reject_workstation(user, workstation: Workstation, *, reason: str) -> Workstation:
    """The province rejects an application, saying why."""
    require_province(user, workstation)
    reason = needed_text(reason, "reason", _("Say why the application is rejected."))
    Workstation.workflow.apply(workstation, "reject", user, decided_at=timezone.now(), decision_note=reason)
    notify(
        [workstation.applicant],
        kind="workstation.rejected",
        title=gettext_lazy("Your workstation application was rejected."),
        body=reason,
        url=workstation.get_absolute_url(),
    )
    return workstation


@service
def revoke_workstation(user, workstation: Workstation, *, reason: str) -> Workstation:
    """The province revokes a filed workstation, saying why; its history and funds stay on record."""
    require_province(user, workstation)
    reason = needed_text(reason, "reason", _("Say why the workstation is revoked."))
    return Workstation.workflow.apply(workstation, "revoke", user, decided_at=timezone.now(), decision_note=reason)


@service
def report_workstation_activity(
    user,
    workstation: Workstation,
    *,
    kind: str,
    held_on: date,
    title: str,
    participants: int = 0,
    households_driven: int = 0,
    note: str = "",
) -> WorkstationActivity:
    """A filed workstation (its organisation, or the county for it) reports a training, demonstration …"""
    require_change(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    activity = WorkstationActivity(
        workstation=workstation,
        kind=kind,
        held_on=held_on,
        title=needed_text(title, "title", _("Name the activity.")),
        participants=participants,
        households_driven=households_driven,
        note=(note or "").strip(),
    )
    activity.full_clean()
    activity.save()
    return activity


def require_manager_of(user, workstation: Workstation) -> None:
    if not area_allows(user, workstation.village, MANAGERS):
        raise PermissionDenied(_("Only the county or the province does this."))


@service
def locate_workstation(user, workstation: Workstation, *, demo_site: DemoSite | None) -> Workstation:
    """The county records the demonstration site a filed station is located at (None: at none; the application
    names it first); the site's page lists the station to those who may open it."""
    require_manager_of(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    check_site(user, workstation.village, demo_site)
    workstation.demo_site = demo_site
    workstation.save()
    return workstation


@service
def appraise_workstation(
    user, workstation: Workstation, *, year: int, score: Decimal, rating: str, note: str = ""
) -> WorkstationAppraisal:
    """The county or province records a filed workstation's yearly appraisal (once a year; a second call corrects
    it)."""
    require_manager_of(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    appraisal = WorkstationAppraisal.objects.filter(workstation=workstation, year=year).first()
    appraisal = appraisal or WorkstationAppraisal(workstation=workstation, year=year)
    appraisal.score, appraisal.rating, appraisal.note = score, rating, (note or "").strip()
    appraisal.full_clean(validate_constraints=False)
    appraisal.save()
    return appraisal


@service
def fund_workstation(
    user, workstation: Workstation, *, budget: Budget, amount: Decimal, purpose: str, allocated_on: date | None = None
):
    """Allocate money from a budget to a filed workstation, through the funds ledger."""
    require_manager_of(user, workstation)
    require_state(locked_workstation(workstation), WorkstationStatus.FILED)
    if not Budget.objects.for_user(user, CHANGE).filter(pk=budget.pk).exists():
        raise ValidationError({"budget": _("Choose a budget of your jurisdiction.")})
    return allocate(
        user,
        budget,
        recipient_kind=RecipientKind.WORKSTATION,
        amount=amount,
        purpose=purpose,
        allocated_on=allocated_on or timezone.localdate(),
        recipient=workstation,
        recipient_name=workstation.name,
    )
