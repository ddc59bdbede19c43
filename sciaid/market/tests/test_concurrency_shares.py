"""A supplier's beneficiary households share at most 100 % of its sales, also when two are linked at the same moment,
each on its own PostgreSQL connection (`sciaid.testing.at_once`): the second waits for the first and sees its share."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sciaid.market import services
from sciaid.market.models import Beneficiary, Supplier
from sciaid.testing import at_once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_shares_linked_at_once_never_exceed_the_whole(world, market):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")

    def link(household) -> str:
        try:
            supplier = Supplier.objects.get(pk=market.supplier.pk)
            services.save_beneficiary(world.county_admin, supplier, household=household, share="60")
        except ValidationError as refused:
            return f"refused:{','.join(refused.message_dict)}"
        return "ok"

    outcomes = at_once(lambda: link(world.household_a1), lambda: link(world.household_a2))
    assert sorted(outcomes) == ["ok", "refused:share"]
    total = sum(Beneficiary.objects.filter(supplier=market.supplier).values_list("share", flat=True))
    assert total == Decimal("60")
