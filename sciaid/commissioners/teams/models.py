"""Service teams (服务团队) of 3–5 commissioners with a leader, serving villages together for a year.

A team's agreements and service logs are visible to its members (`in_own_team`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.commissioners.common import EXPERTS, MANAGERS, READERS, year_field
from sciaid.core.models import BaseModel
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope
from sciaid.experts.models import Expert
from sciaid.regions.models import Area


def in_own_team(path: str):
    """An expert's grant shows the records of the teams they belong to (an EXISTS, so no row repeats)."""

    def narrow(user, grant) -> Q:
        members = TeamMember.objects.filter(team=OuterRef(path), expert__user_id=user.pk)
        return Q(Exists(members))

    return narrow


class Team(BaseModel):
    """A service team (服务团队) of 3–5 commissioners with a leader, serving villages together for a year."""

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = year_field()
    name = models.CharField(_("name"), max_length=128)
    leader = models.ForeignKey(Expert, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+")
    villages = models.ManyToManyField(Area, verbose_name=_("villages"), related_name="commissioner_teams")

    scope = Scope(
        code_path="county__code",
        view=READERS | EXPERTS | {Role.INFO_OFFICER},
        change=MANAGERS,
        narrowed={Role.EXPERT: in_own_team("pk")},
    )

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioners:team-detail", args=[self.pk])


class TeamMember(models.Model):
    """One commissioner in a team; the leader is a member too."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["team", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "expert"], name="comm_team_member_once")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.team}"
