"""Every change to service teams goes through these functions (checked, validated, audited in one transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sciaid.commissioners.common import require_area, require_change
from sciaid.commissioners.teams.models import Team, TeamMember
from sciaid.core import audit
from sciaid.core.models import ChangeAction
from sciaid.core.services import service
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

#: A service team has this many members, leader included.
TEAM_SIZE = (3, 5)


@service
def save_team(
    user,
    *,
    instance: Team | None = None,
    county: Area,
    year: int,
    name: str,
    leader: Expert,
    members: Sequence[Expert],
    villages: Sequence[Area],
) -> Team:
    """Create or change a service team: 3–5 active commissioners (leader included) serving villages of the county."""
    if county.level != AreaLevel.COUNTY:
        raise ValidationError({"county": _("A team belongs to a county.")})
    require_area(user, county)
    if instance is not None:
        require_change(user, instance)
    people = {expert.pk: expert for expert in [leader, *members]}
    low, high = TEAM_SIZE
    if not low <= len(people) <= high:
        raise ValidationError(
            {"members": _("A team has %(low)d to %(high)d members, leader included.") % {"low": low, "high": high}}
        )
    not_commissioners = [e.name for e in people.values() if not (e.is_commissioner and e.is_active)]
    if not_commissioners:
        raise ValidationError(
            {"members": _("Not active commissioners: %(names)s.") % {"names": "、".join(not_commissioners)}}
        )
    if not villages:
        raise ValidationError({"villages": _("Choose the villages the team serves.")})
    outside = [v.name for v in villages if v.level != AreaLevel.VILLAGE or not county.covers(v)]
    if outside:
        raise ValidationError(
            {"villages": _("Not villages of this county: %(names)s.") % {"names": "、".join(outside)}}
        )
    team = instance or Team()
    team.county, team.year, team.name, team.leader = county, year, name.strip(), leader
    team.full_clean(exclude=["villages"])
    team.save()
    before = sorted(team.members.values_list("expert_id", flat=True)) if instance else []
    TeamMember.objects.filter(team=team).exclude(expert_id__in=people).delete()
    TeamMember.objects.bulk_create(
        [TeamMember(team=team, expert=e) for pk, e in people.items() if pk not in before], ignore_conflicts=True
    )
    team.villages.set(villages)
    if before and before != sorted(people):
        audit.record(team, ChangeAction.UPDATE, {"members": before}, {"members": sorted(people)})
    return team


def serving_team(expert: Expert, village: Area, year: int) -> Team | None:
    return Team.objects.filter(members__expert=expert, villages=village, year=year).first()
