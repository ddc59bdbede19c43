"""Expert review (评审): the reviewer pool with conflicts of interest, assigning or drawing reviewers, weighted scores
and the call's ranking."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.assistance.services import people
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.projects.choices import ProjectStatus, ReviewStatus
from sciaid.projects.models import Call, Criterion, Project, Review, TeamMember
from sciaid.projects.services.common import CENT, managers_of, require_role, require_text, tell, touch

#: From this many scored reviews on, the highest and the lowest total are dropped before averaging.
DROP_EXTREMES_FROM = 5


def same_organisation(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def conflict_of(project: Project, reviewer: User, team: Sequence[TeamMember]) -> str:
    """Why this reviewer may not review this project, or "" when they may."""
    if reviewer.pk == project.applicant_id:
        return _("the applicant")
    if same_organisation(reviewer.organisation, project.organisation):
        return _("same organisation as the applicant")
    for member in team:
        if member.user_id == reviewer.pk or (reviewer.full_name and member.name.strip() == reviewer.full_name.strip()):
            return _("listed in the project team")
    return ""


@dataclass(frozen=True)
class ReviewerPool:
    """The reviewers of the project's county (and the areas above it), split into eligible and conflicted."""

    eligible: list[User]
    conflicted: list[tuple[User, str]]


def reviewer_pool(project: Project) -> ReviewerPool:
    """Users with the reviewer role on the project's county or an area above it, in a fixed order (by id)."""
    codes = [*project.county.ancestor_codes(), project.county.code]
    candidates = people(Role.REVIEWER, codes).order_by("pk")
    team = list(project.team.all())
    eligible, conflicted = [], []
    for reviewer in candidates:
        reason = conflict_of(project, reviewer, team)
        if reason:
            conflicted.append((reviewer, reason))
        else:
            eligible.append(reviewer)
    return ReviewerPool(eligible, conflicted)


@service
def assign_reviewers(
    user, project: Project, reviewers: Sequence[User] = (), *, count: int | None = None, seed: int | None = None
) -> list[Review]:
    """The county assigns reviewers: the ones it names, or `count` drawn at random (with `seed`) from the eligible
    pool. Anyone outside the pool or with a conflict of interest is refused by name."""
    require_role(user, Project.workflow, "assign_reviewers")
    if not may(user, project, CHANGE):
        raise TransitionRefused(_("This record is outside your jurisdiction."))
    pool = reviewer_pool(project)
    already = set(project.reviews.values_list("reviewer_id", flat=True))
    if reviewers:
        conflicts = {reviewer.pk: reason for reviewer, reason in pool.conflicted}
        eligible = {reviewer.pk for reviewer in pool.eligible}
        for reviewer in reviewers:
            if reviewer.pk in conflicts:
                raise ValidationError(
                    {
                        "reviewers": _("%(name)s has a conflict of interest: %(reason)s.")
                        % {"name": reviewer, "reason": conflicts[reviewer.pk]}
                    }
                )
            if reviewer.pk not in eligible:
                raise ValidationError(
                    {"reviewers": _("User %(id)s is not in the county's reviewer pool.") % {"id": reviewer.pk}}
                )
        chosen = list(reviewers)
    elif count:
        candidates = [reviewer for reviewer in pool.eligible if reviewer.pk not in already]
        if count > len(candidates):
            raise ValidationError(
                {"count": _("Only %(n)d eligible reviewers are left in the pool.") % {"n": len(candidates)}}
            )
        chosen = random.Random(secrets.randbits(32) if seed is None else seed).sample(candidates, count)
    else:
        raise ValidationError({"reviewers": _("Choose reviewers or how many to draw.")})
    new = [reviewer for reviewer in chosen if reviewer.pk not in already]
    Project.workflow.apply(project, "assign_reviewers", user, note=", ".join(str(r.pk) for r in new), **touch(user))
    reviews = Review.objects.bulk_create([Review(project=project, reviewer=reviewer) for reviewer in new])
    for review in reviews:
        tell(
            [review.reviewer],
            project,
            "review",
            gettext_lazy("A declaration awaits your review"),
            review.get_absolute_url(),
        )
    return reviews


def weighted_total(criteria: Sequence[Criterion], scores: Mapping[str, Decimal]) -> Decimal:
    weights = sum(c.weight for c in criteria)
    total = sum(Decimal(c.weight) * Decimal(scores[str(c.pk)]) for c in criteria) / Decimal(weights)
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(totals: Sequence[Decimal]) -> Decimal | None:
    """The project's score: the mean of its reviewers' totals, after dropping the highest and the lowest one when
    there are at least DROP_EXTREMES_FROM of them (so one outlier cannot carry or sink a declaration)."""
    values = sorted(totals)
    if not values:
        return None
    if len(values) >= DROP_EXTREMES_FROM:
        values = values[1:-1]
    return (sum(values, Decimal("0")) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


@service
def score(user, review: Review, *, scores: Mapping, comments: str = "") -> Review:
    """The assigned reviewer scores each criterion 0–100 and comments; they may revise until the county decides."""
    if review.reviewer_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer scores this declaration."))
    project = review.project
    if project.status != ProjectStatus.UNDER_REVIEW:
        raise TransitionRefused(_("The declaration is no longer under review."))
    criteria = list(project.call.criteria.all())
    given = {str(key): value for key, value in scores.items()}
    clean = {}
    for criterion in criteria:
        value = given.get(str(criterion.pk))
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            number = Decimal("-1")
        if value is None or not number.is_finite() or not 0 <= number <= 100:
            raise ValidationError({"scores": _("Score “%(name)s” from 0 to 100.") % {"name": criterion.name}})
        clean[str(criterion.pk)] = number
    before = review.status
    review.scores = {key: str(value) for key, value in clean.items()}
    review.total = weighted_total(criteria, clean)
    review.comments = require_text(comments, "comments", _("Write your comments on the declaration."))
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.save()
    totals = list(project.reviews.filter(status=ReviewStatus.SUBMITTED).values_list("total", flat=True))
    Project.objects.filter(pk=project.pk).update(score=aggregate(totals))
    if before != ReviewStatus.SUBMITTED and not project.reviews.filter(status=ReviewStatus.ASSIGNED).exists():
        tell(managers_of(project), project, "reviewed", gettext_lazy("All reviews of a declaration are in"))
    return review


def ranking(call: Call, user=None) -> list[Project]:
    """The call's declarations under review or decided, best score first (unscored last), each with `.rank`."""
    projects = Project.objects.filter(call=call, score__isnull=False)
    if user is not None:
        projects = projects.for_user(user)
    ranked = list(projects.order_by("-score", "submitted_at", "pk"))
    for position, project in enumerate(ranked, start=1):
        project.rank = position
    return ranked
