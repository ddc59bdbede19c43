"""Subsidies for valid services: each county's yearly rule, what each expert and info officer earns, and the yearly
statement reviewed county → city → province."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.assistance.choices import DemandStatus, RecipientKind, StatementStatus
from sciaid.assistance.models import Demand, SubsidyRule, SubsidyStatement, SubsidyStatementRow
from sciaid.assistance.services.common import require_text, require_workflow_role
from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import is_unrestricted, user_grants
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import AREA_MANAGERS, Area

# --- subsidies ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubsidyRow:
    """One recipient's valid services of the year and what they earn (yuan)."""

    kind: str  # "expert" or "info_officer"
    recipient_id: int
    name: str
    services: int
    amount: Decimal


def rule_for(area: Area, year: int) -> SubsidyRule:
    """The county's rule for the year, or the default rule (the model's defaults) when none is recorded."""
    return SubsidyRule.objects.filter(area=area, year=year).first() or SubsidyRule(area=area, year=year)


def subsidies(area: Area, year: int) -> list[SubsidyRow]:
    """What each expert and each info officer of a county earns for the year's valid services (resolved that year,
    judged valid): two aggregate queries, experts first, then info officers, each by name."""
    rule = rule_for(area, year)
    valid = Demand.objects.filter(
        village__code__range=area.subtree_bounds, valid=True, resolved_at__year=year, status=DemandStatus.CLOSED
    )
    experts = (
        valid.filter(resolved_by__isnull=False)
        .values("resolved_by", "resolved_by__name")
        .annotate(n=Count("pk"))
        .order_by("resolved_by__name", "resolved_by")
    )
    officers = (
        valid.filter(requester_role=Role.INFO_OFFICER)
        .values("requester", "requester__full_name", "requester__username")
        .annotate(n=Count("pk"))
        .order_by("requester__username")
    )
    rows = [
        SubsidyRow("expert", row["resolved_by"], row["resolved_by__name"], row["n"], rule.expert_amount(row["n"]))
        for row in experts
    ]
    rows += [
        SubsidyRow(
            "info_officer",
            row["requester"],
            row["requester__full_name"] or row["requester__username"],
            row["n"],
            rule.officer_amount(row["n"]),
        )
        for row in officers
    ]
    return rows


# --- subsidy statements: county → city → province -----------------------------------------------------------------

#: Who acts on statements; the level of the area they are granted on decides what they may do (see review_levels).
STATEMENT_ROLES = SubsidyStatement.workflow.transitions["submit"].roles
#: The level that must act on a statement in each state (None: nobody, it is final).
NEXT_LEVEL = {
    StatementStatus.DRAFT: AreaLevel.COUNTY,
    StatementStatus.RETURNED: AreaLevel.COUNTY,
    StatementStatus.SUBMITTED: AreaLevel.CITY,
    StatementStatus.CITY_APPROVED: AreaLevel.PROVINCE,
    StatementStatus.APPROVED: None,
}


def review_levels(user, county: Area) -> set[int]:
    """The levels at which the user acts for this county's statements: a county admin at the level of the area
    granted (county, city or province), a platform admin at the province; operators at every level."""
    if is_unrestricted(user):
        return {AreaLevel.COUNTY, AreaLevel.CITY, AreaLevel.PROVINCE}
    levels = set()
    for grant in user_grants(user):
        if grant.role in STATEMENT_ROLES and grant.area.covers(county):
            levels.add(AreaLevel.PROVINCE if grant.role == Role.PLATFORM_ADMIN else grant.area.level)
    return levels


def prepares_statements(user) -> bool:
    """Whether the user prepares statements: a county admin granted on a county (operators too)."""
    return is_unrestricted(user) or any(
        grant.role == Role.COUNTY_ADMIN and grant.area.level == AreaLevel.COUNTY for grant in user_grants(user)
    )


def statement_year(user) -> int:
    """The year the compute form offers: that of the latest valid service delivered in the areas the user manages,
    else of the latest demand submitted there, else this year (one query whatever the data).

    Selective first: the demands of the managers' division-code ranges, found from the areas (a county's ~6,000 of a
    province's million, 20 ms). Reading every demand the user may see instead, their own requests OR'ed into the
    scope, made PostgreSQL scan all of them: 0.8 s a page, even for a county admin."""
    demands = Demand.objects.order_by()
    if not is_unrestricted(user):
        ranges = [Q(village__code__range=g.area.subtree_bounds) for g in user_grants(user) if g.role in AREA_MANAGERS]
        demands = demands.filter(reduce(or_, ranges, Q(pk__in=[])))
    served = Q(status=DemandStatus.CLOSED, valid=True, resolved_at__isnull=False)
    latest = demands.aggregate(served=Max("resolved_at", filter=served), submitted=Max("submitted_at"))
    moment = latest["served"] or latest["submitted"]
    return timezone.localtime(moment).year if moment else timezone.localdate().year


def statement_url(statement: SubsidyStatement) -> str:
    return reverse("assistance:statement-detail", args=[statement.pk])


def statement_reviewers(county: Area, level: int):
    """Active admins granted on the county's area of `level` (the county itself, its city or its province)."""
    code = county.code[: {AreaLevel.PROVINCE: 2, AreaLevel.CITY: 4}.get(level, 6)].ljust(12, "0")
    roles = [Role.COUNTY_ADMIN] if level != AreaLevel.PROVINCE else [Role.COUNTY_ADMIN, Role.PLATFORM_ADMIN]
    return User.objects.filter(is_active=True, grants__role__in=roles, grants__area__code=code).distinct()


def statement_actions(user, statement: SubsidyStatement) -> set[str]:
    """What the user may do with the statement now ("recompute", "submit", "approve", "return"), so that no button
    leads to a certain refusal."""
    level = NEXT_LEVEL[statement.status]
    if level is None or level not in review_levels(user, statement.county):
        return set()
    if level == AreaLevel.COUNTY:
        return {"recompute", "submit"}
    previous = statement.submitted_by_id if level == AreaLevel.CITY else statement.city_approved_by_id
    return set() if previous == user.pk and not is_unrestricted(user) else {"approve", "return"}


def _require_level(user, statement: SubsidyStatement, action: str) -> int:
    """Refuse, with the reason, an action the statement's state or the user's level does not allow."""
    require_workflow_role(SubsidyStatement.workflow, user, "submit")
    level = NEXT_LEVEL[statement.status]
    if level is None:
        raise TransitionRefused(_("This statement is approved by the province: it is final."))
    if level == AreaLevel.COUNTY and action not in ("recompute", "submit"):
        raise TransitionRefused(_("This statement has not been submitted: there is nothing to review."))
    if level != AreaLevel.COUNTY and action in ("recompute", "submit"):
        raise TransitionRefused(
            _("This statement is under review (“%(state)s”): it changes only if it is returned.")
            % {"state": statement.get_status_display()}
        )
    if level not in review_levels(user, statement.county):
        raise PermissionDenied(
            {
                AreaLevel.COUNTY: _("Only the county prepares and submits its statement."),
                AreaLevel.CITY: _("The city reviews this statement now."),
                AreaLevel.PROVINCE: _("The province reviews this statement now."),
            }[level]
        )
    if level != AreaLevel.COUNTY and not is_unrestricted(user):
        previous = statement.submitted_by_id if level == AreaLevel.CITY else statement.city_approved_by_id
        if previous == user.pk:
            raise PermissionDenied(_("You acted on this statement at the level below: someone else reviews it."))
    return level


def _tell_statement(recipients, statement: SubsidyStatement, kind: str, message) -> None:
    county, year = str(statement.county), statement.year
    notify(
        recipients,
        title=lambda: str(message) % {"county": county, "year": year},
        body=lambda: _("Total: ¥%(total)s") % {"total": statement.total},
        url=statement_url(statement),
        kind=f"subsidy_statement.{kind}",
    )


@service
def compute_statement(user, county: Area, year: int) -> SubsidyStatement:
    """The county admin freezes the county's subsidies of `year` (services.subsidies) into a draft statement, or
    recomputes a draft or returned one; a statement under review or approved is never recomputed."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("Subsidy statements are made for a county.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    require_workflow_role(SubsidyStatement.workflow, user, "recompute")
    if AreaLevel.COUNTY not in review_levels(user, county):
        raise PermissionDenied(_("Only the county prepares and submits its statement."))
    statement, _created = SubsidyStatement.objects.get_or_create(county=county, year=year)
    statement = SubsidyStatement.objects.select_for_update().select_related("county").get(pk=statement.pk)
    _require_level(user, statement, "recompute")
    rows = subsidies(county, year)
    now = timezone.now()
    SubsidyStatement.workflow.apply(
        statement,
        "recompute",
        user,
        total=sum((row.amount for row in rows), Decimal("0.00")),
        computed_at=now,
        updated_at=now,
    )
    SubsidyStatementRow.objects.filter(statement=statement).delete()
    SubsidyStatementRow.objects.bulk_create(
        [
            SubsidyStatementRow(
                statement=statement,
                kind=RecipientKind(row.kind),
                recipient_id=row.recipient_id,
                name=row.name[:128],
                services=row.services,
                amount=row.amount,
            )
            for row in rows
        ]
    )
    return statement


@service
def submit_statement(user, statement: SubsidyStatement) -> SubsidyStatement:
    """The county admin submits the statement to the city; the city's admins are told."""
    _require_level(user, statement, "submit")
    if statement.computed_at is None:
        raise ValidationError(_("Compute the statement before submitting it."))
    now = timezone.now()
    SubsidyStatement.workflow.apply(
        statement, "submit", user, submitted_by_id=user.pk, submitted_at=now, return_reason="", updated_at=now
    )
    _tell_statement(
        statement_reviewers(statement.county, AreaLevel.CITY),
        statement,
        "submitted",
        gettext_lazy("Subsidy statement of %(county)s for %(year)s: please review"),
    )
    return statement


@service
def approve_statement(user, statement: SubsidyStatement) -> SubsidyStatement:
    """The city approves a submitted statement (the province is told), then the province approves it: final."""
    level = _require_level(user, statement, "approve")
    now = timezone.now()
    county = statement.county
    if level == AreaLevel.CITY:
        SubsidyStatement.workflow.apply(
            statement, "approve_city", user, city_approved_by_id=user.pk, city_approved_at=now, updated_at=now
        )
        recipients = statement_reviewers(county, AreaLevel.PROVINCE)
        message = gettext_lazy("Subsidy statement of %(county)s for %(year)s: approved by the city, please review")
    else:
        SubsidyStatement.workflow.apply(
            statement, "approve_province", user, approved_by_id=user.pk, approved_at=now, updated_at=now
        )
        recipients = [*statement_reviewers(county, AreaLevel.COUNTY), *statement_reviewers(county, AreaLevel.CITY)]
        message = gettext_lazy("Subsidy statement of %(county)s for %(year)s: approved by the province")
    _tell_statement(recipients, statement, "approved", message)
    return statement


@service
def return_statement(user, statement: SubsidyStatement, reason: str) -> SubsidyStatement:
    """The city (or the province) returns the statement to the county with a reason; the county may recompute
    and submit it again. The county (and, when the province returns it, the city) is told."""
    reason = require_text(reason, "reason", _("Say why the statement is returned."))
    level = _require_level(user, statement, "return")
    now = timezone.now()
    SubsidyStatement.workflow.apply(
        statement,
        "return",
        user,
        note=reason,
        return_reason=reason,
        returned_by_id=user.pk,
        returned_at=now,
        city_approved_by_id=None,
        city_approved_at=None,
        updated_at=now,
    )
    recipients = list(statement_reviewers(statement.county, AreaLevel.COUNTY))
    if level == AreaLevel.PROVINCE:
        recipients += list(statement_reviewers(statement.county, AreaLevel.CITY))
    _tell_statement(
        recipients, statement, "returned", gettext_lazy("Subsidy statement of %(county)s for %(year)s was returned")
    )
    return statement
