"""`__in_array`: the rows whose value is one of a list, as `__in` finds them, in one parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciaid.regions.models import Household

pytestmark = pytest.mark.django_db


def test_it_finds_what_in_finds(world):
    numbers = [world.household_a1.number, world.household_b1.number, "no-such-number", None]
    found = Household.objects.filter(number__in_array=numbers)
    assert set(found) == set(Household.objects.filter(number__in=numbers)) == {world.household_a1, world.household_b1}


def test_an_empty_list_finds_nothing_without_a_query(world):
    with CaptureQueriesContext(connection) as queries:
        assert list(Household.objects.filter(number__in_array=[])) == []
        assert list(Household.objects.filter(number__in_array=[None])) == []
    assert len(queries) == 0


def test_on_postgresql_the_list_is_one_parameter(world):
    numbers = [f"{n:016d}" for n in range(2000)] + [world.household_a1.number]
    sql, params = Household.objects.filter(number__in_array=numbers).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql and len(params) == 1
    else:
        assert len(params) == len(numbers)
    assert list(Household.objects.filter(number__in_array=numbers)) == [world.household_a1]


def test_a_subquery_works_as_with_in(world):
    villages = world.village_a1.households.values("pk")
    assert list(Household.objects.filter(pk__in_array=villages)) == list(Household.objects.filter(pk__in=villages))
