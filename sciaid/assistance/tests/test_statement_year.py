"""The year the subsidy statement list offers to compute: the latest valid service in the admin's own counties (not
a newer one of another county), else the latest demand, else this year; and a reader who computes nothing (a
supervisor) costs the page no query on the demands at all."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.assistance.services.subsidies import statement_year

pytestmark = pytest.mark.django_db


def served(demand: Demand, year: int, valid: bool = True, village=None) -> None:
    """Close `demand` as resolved in `year` (judged valid or not), moved to `village` when given."""
    moved = {"village": village} if village is not None else {}
    Demand.objects.filter(pk=demand.pk).update(
        status=DemandStatus.CLOSED, valid=valid, resolved_at=timezone.make_aware(datetime(year, 6, 1, 10)), **moved
    )


def test_the_latest_valid_service_of_the_admins_own_counties(world, submit):
    served(submit(title="二〇二一"), 2021)
    served(submit(title="无效的"), 2023, valid=False)
    served(submit(title="凤台的"), 2024, village=world.village_b1)
    assert statement_year(world.county_admin) == 2021
    assert statement_year(world.county_admin_b) == 2024
    assert statement_year(world.admin) == 2024


def test_without_valid_services_the_latest_demand_then_this_year(world, submit):
    this_year = timezone.localdate().year
    assert statement_year(world.county_admin) == this_year
    demand = submit()
    Demand.objects.filter(pk=demand.pk).update(submitted_at=timezone.make_aware(datetime(2019, 3, 1, 9)))
    assert statement_year(world.county_admin) == 2019
    assert statement_year(world.county_admin_b) == this_year


def test_the_page_offers_the_year_and_asks_the_demands_only_of_those_who_compute(client_for, world, submit):
    served(submit(), 2022)
    assert client_for("county_admin").get(reverse("assistance:statement-list")).context["compute_form"].initial == {
        "year": 2022
    }
    client = client_for("supervisor")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assistance:statement-list"))
    assert response.status_code == 200 and response.context["compute_form"] is None
    assert not [query for query in captured.captured_queries if "assistance_demand" in query["sql"]]
