"""The ledger under concurrency, each caller on its own PostgreSQL connection (`sciaid.testing.at_once`): the first
spendings on a new platform budget arriving together all post, up to the budget and no further."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sciaid.funds import services
from sciaid.funds.choices import RecipientKind
from sciaid.funds.models import Allocation, Budget, Expenditure
from sciaid.testing import at_once

SPENDERS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_spendings_on_a_platform_budget_at_once_all_post_within_the_budget(world, make_budget):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections with row locks: run with DATABASE_URL on PostgreSQL")
    budget = make_budget("300000", purpose="科技扶贫在线平台运行")

    def spend(amount: str = "100000"):
        try:
            return services.spend(
                world.county_admin,
                Budget.objects.get(pk=budget.pk),
                category="subsidy",
                amount=amount,
                spent_on=date(2020, 9, 30),
                payee="平台运维单位",
            ).amount
        except ValidationError as refused:
            return refused

    assert at_once(*[spend] * SPENDERS) == [Decimal("100000.00")] * SPENDERS
    platform = Allocation.objects.get(budget=budget)
    assert (platform.recipient_kind, platform.amount) == (RecipientKind.PLATFORM, Decimal("300000.00"))
    assert Expenditure.objects.filter(allocation=platform).count() == SPENDERS
    # Over the limit: refused, nothing written.
    refused = spend("0.01")
    assert isinstance(refused, ValidationError) and list(refused.message_dict) == ["amount"]
    assert Expenditure.objects.count() == SPENDERS
