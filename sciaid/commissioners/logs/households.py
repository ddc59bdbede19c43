"""Commissioners read the households of the villages they serve, paired or with a service team: the households a
service log names. Registered on the registry's own scope (`Household.scope.grant`), so the regions app need not
know about commissioners; what they read is read-only, and ID and phone numbers stay masked (their role is not among
`PERSONAL_DATA_ROLES`). Imported by `CommissionersConfig.ready()`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from sciaid.commissioners.teams.models import TeamMember
from sciaid.core.roles import Role
from sciaid.experts.models import Pairing
from sciaid.regions.models import Household


def served_villages(user, grant) -> Q:
    """Households of a village the user is (or was) paired with, or serves with a team; two EXISTS, no repeats."""
    paired = Pairing.objects.filter(village=OuterRef("village"), expert__user_id=user.pk)
    teamed = TeamMember.objects.filter(team__villages=OuterRef("village"), expert__user_id=user.pk)
    return Q(Exists(paired)) | Q(Exists(teamed))


Household.scope.grant(Role.EXPERT, served_villages)
