"""Granting and revoking roles at the same moment, each call on its own PostgreSQL connection
(`sciaid.testing.at_once`): the same grant twice is made once and the other call is refused (not a 500 on the unique
constraint); revoking a user's last two roles at once leaves the user one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sciaid.accounts import services
from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.testing import at_once


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")


def outcome(call) -> str:
    try:
        call()
    except ValidationError:
        return "refused"
    return "ok"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_grant_twice_at_once_is_made_once(world):
    needs_postgres()

    def grant():
        target = User.objects.get(pk=world.expert.pk)
        return outcome(lambda: services.grant_role(world.county_admin, target, Role.INFO_OFFICER, world.village_a2))

    assert sorted(at_once(grant, grant)) == ["ok", "refused"]
    assert RoleGrant.objects.filter(user=world.expert, role=Role.INFO_OFFICER).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_revoking_the_last_two_roles_at_once_leaves_one(world):
    needs_postgres()
    services.grant_role(world.county_admin, world.expert, Role.INFO_OFFICER, world.village_a2)
    grants = list(RoleGrant.objects.filter(user=world.expert).values_list("pk", flat=True))
    assert len(grants) == 2

    def revoke(pk: int):
        return lambda: outcome(lambda: services.revoke_role(world.county_admin, RoleGrant.objects.get(pk=pk)))

    assert sorted(at_once(*map(revoke, grants))) == ["ok", "refused"]
    assert RoleGrant.objects.filter(user=world.expert).count() == 1
