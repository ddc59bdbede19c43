"""What every sub-domain of the commissioners app shares: who may do what (the role sets the scopes are built from),
the year field, and the checks the service functions start with.

The sub-domains are packages with the usual file roles (models, choices, services, forms, filters, views, api, urls):
`selection` (yearly batches and candidates), `teams`, `agreements`, `logs` (service logs), `statistics` (coverage,
alerts, the yearly figures), `allocation` (the fund rule), `appraisals` and `workstations`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, may
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
EXPERTS = frozenset({Role.EXPERT})
#: Who confirms a service log: the village info officer on the spot, or the county.
CONFIRMERS = MANAGERS | {Role.INFO_OFFICER}
READERS = MANAGERS | {Role.SUPERVISOR}
#: Who reviews workstation applications: reviewers and experts, each only the applications assigned to them.
REVIEWERS = frozenset({Role.REVIEWER, Role.EXPERT})


def year_field():
    return models.PositiveSmallIntegerField(
        gettext_lazy("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )


def require_area(user, area: Area, roles=MANAGERS) -> None:
    if not area_allows(user, area, roles):
        raise PermissionDenied(_("This area is outside your jurisdiction."))


def require_change(user, obj) -> None:
    if not may(user, obj, CHANGE):
        raise PermissionDenied(_("You may not change this record."))


def own_expert(user) -> Expert:
    """The acting user's own commissioner profile; only commissioners log services and apply."""
    expert = Expert.objects.filter(user_id=getattr(user, "pk", None), is_active=True).first()
    if expert is None:
        raise PermissionDenied(_("Only experts may do this."))
    return expert


def is_commissioner(user) -> bool:
    """Whether the user is an active S&T commissioner (who alone keeps service logs)."""
    return Expert.objects.filter(user_id=getattr(user, "pk", None), is_commissioner=True, is_active=True).exists()


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box (varieties, techniques), one item each."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def needed_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def require_county(area: Area) -> Area:
    if area is None or area.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("Choose a county.")})
    return area


def paired_villages(county: Area, year: int) -> dict[int, int]:
    """{expert id: number of the county's villages the commissioner is paired with in `year`}; one query."""
    rows = (
        Pairing.objects.filter(year=year, village__code__range=county.subtree_bounds, expert__is_commissioner=True)
        .values("expert")
        .annotate(villages=Count("village", distinct=True))
        .order_by()
    )
    return {row["expert"]: row["villages"] for row in rows}
