"""Two imports of the same new households at the same moment, each on its own PostgreSQL connection: one writes
them, the other is refused with a clear report — never a 500, never half a file."""

from __future__ import annotations

import pytest
from django.db import connection

from sciaid.core.privacy import make_id_number
from sciaid.regions.importers import HouseholdImporter
from sciaid.regions.models import Household
from sciaid.regions.tests.test_imports import household_row, upload
from sciaid.testing import at_once

ROWS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_file_imported_twice_at_once_is_written_once_and_refused_clearly_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections: run with DATABASE_URL on PostgreSQL")
    rows = [household_row(n, id=make_id_number(n, birth="19790101")) for n in range(ROWS)]

    def run():
        return HouseholdImporter(world.county_admin).run(upload(rows))

    first, second = at_once(run, run)

    reports = sorted([first, second], key=lambda report: report.created)
    assert [type(report).__name__ for report in reports] == ["ImportReport", "ImportReport"]
    refused, written = reports
    assert written.ok and written.created == ROWS
    assert refused.created == 0 and (refused.unchanged == ROWS or not refused.ok)
    numbers = [row[0] for row in rows]
    assert Household.objects.filter(number__in=numbers).count() == ROWS
