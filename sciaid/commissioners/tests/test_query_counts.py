"""The commissioners' lists answer in a number of queries that does not grow with their rows: pages (with their
links checked) and API lists (with photos, households and progress)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from sciaid.commissioners.appraisals import services as appraisals
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.models import LogPhoto, ServiceLog
from sciaid.commissioners.tests.conftest import YEAR, on

pytestmark = pytest.mark.django_db


def add_logs(world, expert, n: int) -> None:
    """n logs of village A1, each naming its household and carrying a photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    for _ in range(n):
        log = ServiceLog.objects.create(
            expert=expert, village=world.village_a1, kind=ServiceKind.GUIDANCE, served_on=on(4), summary="指导"
        )
        log.households.add(world.households["household_a1"])
        photo = LogPhoto(log=log, width=8, height=8)
        photo.image.save("p.jpg", io.BytesIO(buffer.getvalue()), save=False)
        photo.save()


def queries(fetch) -> int:
    fetch()
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured)


@pytest.mark.parametrize(
    ("persona", "kind", "name"),
    [
        ("county_admin", "page", "commissioners:log-list"),
        ("county_admin", "page", "commissioners:appraisal-sheets"),
        ("county_admin", "page", "commissioners:agreement-list"),
        ("county_admin", "api", "service-log-list"),
        ("county_admin", "api", "appraisal-list"),
        ("county_admin", "api", "appraisal-rubric-list"),
        ("county_admin", "api", "allocation-rule-list"),
        ("expert", "page", "commissioners:log-list"),
        ("expert", "api", "service-log-list"),
    ],
)
def test_lists_do_not_grow_with_their_rows(world, client_for, api_for, make_commissioner, persona, kind, name):
    expert = make_commissioner("expert")
    others = [make_commissioner(f"c{i}") for i in range(3)]
    client = client_for(persona) if kind == "page" else api_for(persona)
    url = reverse(name)
    add_logs(world, expert, 1)
    rubric = appraisals.save_appraisal_rubric(world.county_admin, county=world.county_a, year=YEAR)
    appraisals.compute_appraisal(world.county_admin, rubric)
    few = queries(lambda: client.get(url))
    add_logs(world, expert, 4)
    for other in others:
        add_logs(world, other, 1)
    appraisals.compute_appraisal(world.county_admin, rubric)
    assert queries(lambda: client.get(url)) == few
