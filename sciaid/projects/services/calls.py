"""Calls for declarations (申报通知): publishing one with its rubric, and what is left of its budget."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciaid.core.scoping import area_allows
from sciaid.core.services import service
from sciaid.projects.choices import FUNDED
from sciaid.projects.models import MANAGERS, Call, Criterion, Project
from sciaid.projects.services.common import require_text, to_amount
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: The rubric a call gets when its publisher names none (weights sum to 100).
DEFAULT_RUBRIC = (
    (gettext_noop("Technical soundness and innovation"), 30),
    (gettext_noop("Poverty-alleviation effect"), 30),
    (gettext_noop("Team, partner and capacity"), 20),
    (gettext_noop("Budget reasonableness"), 20),
)


@service
def create_call(
    user,
    *,
    area: Area,
    title: str,
    year: int,
    kind: str,
    budget_cap,
    per_project_cap,
    deadline: date,
    required_attachments: Sequence[str] = (),
    eligible_areas: Iterable[Area] = (),
    description: str = "",
    criteria: Sequence[tuple[str, int]] | None = None,
    budget=None,
) -> Call:
    """A county (or the city or province) publishes a call; without criteria it gets the default rubric."""
    if area.level > AreaLevel.COUNTY:
        raise ValidationError({"area": _("A call is published by a county or an area above it.")})
    if not area_allows(user, area, MANAGERS):
        raise PermissionDenied(_("This area is outside your jurisdiction."))
    cap, per_project = to_amount(budget_cap, "budget_cap"), to_amount(per_project_cap, "per_project_cap")
    if cap <= 0 or per_project <= 0:
        raise ValidationError({"budget_cap": _("The budgets must be more than zero.")})
    if per_project > cap:
        raise ValidationError({"per_project_cap": _("The cap per project cannot exceed the call's total budget.")})
    eligible = list(eligible_areas)
    outside = [a.name for a in eligible if not area.covers(a) and a.pk != area.pk]
    if outside:
        raise ValidationError(
            {"eligible_areas": _("Not in the call's area: %(names)s.") % {"names": ", ".join(outside)}}
        )
    if budget is not None and not (budget.area_id == area.pk or budget.area.covers(area)):
        raise ValidationError({"budget": _("The budget must belong to the call's area.")})
    call = Call(
        area=area,
        title=require_text(title, "title", _("Give the call a title.")),
        year=year,
        kind=kind,
        budget_cap=cap,
        per_project_cap=per_project,
        deadline=deadline,
        required_attachments=[name.strip() for name in required_attachments if name and name.strip()],
        description=description,
        budget=budget,
    )
    call.full_clean(exclude=["area", "budget"])
    call.save()
    call.eligible_areas.set(eligible)
    rubric = criteria or [(_(name), weight) for name, weight in DEFAULT_RUBRIC]
    if any(int(weight) < 1 for _name, weight in rubric):
        raise ValidationError({"criteria": _("Every criterion needs a weight of at least 1.")})
    Criterion.objects.bulk_create(
        [Criterion(call=call, name=name, weight=int(weight), position=i) for i, (name, weight) in enumerate(rubric)]
    )
    return call


def remaining_budget(call: Call, excluding: Project | None = None) -> Decimal:
    """The call's budget not yet approved to its projects."""
    approved = call.projects.filter(status__in=FUNDED)
    if excluding is not None:
        approved = approved.exclude(pk=excluding.pk)
    return call.budget_cap - (approved.aggregate(total=Sum("approved_amount"))["total"] or Decimal("0"))
