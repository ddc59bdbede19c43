"""The benchmark end to end at a tiny size: the generator loads a valid province and every measurement runs.

PostgreSQL only (the generator speaks COPY): `DATABASE_URL=postgres://… make test` runs it, SQLite skips it.
"""

from __future__ import annotations

import pytest
from django.db import connection

from bench.generate import PROVINCE_CODE, Plan, bounds, ensure_dataset
from bench.measure import format_table, measure
from sciaid.core.privacy import validate_id_number
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the benchmark generator loads data with COPY"),
]

TINY = Plan(cities=1, counties_per_city=2, townships_per_county=2, villages_per_township=3, households_per_village=4)
LABELS = (
    "generate province (COPY)",
    "village subtree (ORM, for_user)",
    "household list page, county admin",
    "household list page, province admin",
    "area statistics refresh (job)",
    "province area page, counts",
    "household import (HouseholdImporter)",
)


@pytest.mark.django_db
def test_it_generates_a_province_once_and_measures_every_row():
    dataset = ensure_dataset(TINY, log=lambda line: None)
    province = bounds(PROVINCE_CODE)
    villages = Area.objects.filter(level=AreaLevel.VILLAGE, code__range=province)
    households = Household.objects.filter(village__code__range=province)
    assert dataset.generated
    assert villages.count() == dataset.villages > 0
    assert households.count() == dataset.households > 0
    assert Area.objects.filter(level=AreaLevel.COUNTY, code__range=province).count() == 2
    assert all(v.parent.level == AreaLevel.TOWNSHIP and v.code.startswith(v.parent.prefix) for v in villages)
    for household in households[:20]:
        assert validate_id_number(household.id_number) == household.id_number

    assert not ensure_dataset(TINY, log=lambda line: None).generated

    rows = measure(dataset, repeat=2, import_rows=40)
    table = format_table(rows)
    assert [row.measurement for row in rows] == list(LABELS)
    assert all(label in table for label in LABELS)
    assert all(row.p50 or row.rate for row in rows)
    assert households.count() == dataset.households, "the measured import must be rolled back"
