"""The API of the county's year end: appraisal rubrics (set, compute, review, publish) and allocation rules (set,
preview, post to the ledger), and the appraisal sheets exported as a spreadsheet."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sciaid.commissioners.appraisals import services as appraisals
from sciaid.commissioners.models import AllocationRule, AppraisalRubric
from sciaid.commissioners.tests.conftest import YEAR
from sciaid.commissioners.tests.factories import make_budget
from sciaid.core.models import ObjectChange

pytestmark = pytest.mark.django_db

RUBRIC = {
    "county": "340422000000",
    "year": YEAR,
    "weight_volume": 40,
    "weight_effect": 20,
    "weight_opinion": 20,
    "weight_manual": 20,
    "volume_target": 12,
    "excellent_from": "85.00",
    "qualified_from": "60.00",
    "excellent_quota": None,
}


@pytest.fixture
def paired(make_commissioner):
    return [make_commissioner("li", villages=["village_a1", "village_a2"]), make_commissioner("wang")]


def test_a_county_runs_its_appraisal_through_the_api(world, api_for, paired):
    api = api_for("county_admin")
    created = api.post(reverse("appraisal-rubric-list"), RUBRIC, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    computed = api.post(reverse("appraisal-rubric-compute", args=[pk]))
    assert computed.status_code == 200 and computed.json()["status"] == "computed"
    sheets = api.get(reverse("appraisal-list"), {"rubric": pk}).json()
    assert sheets["count"] == 2
    assert api.post(reverse("appraisal-rubric-publish", args=[pk])).status_code == 409  # not reviewed yet
    assert api.post(reverse("appraisal-rubric-review", args=[pk])).json()["status"] == "reviewed"
    changed = api.put(reverse("appraisal-rubric-detail", args=[pk]), RUBRIC, format="json")
    assert changed.status_code == 400  # reviewed: reopen first
    assert api.post(reverse("appraisal-rubric-reopen", args=[pk])).json()["status"] == "computed"
    api.post(reverse("appraisal-rubric-review", args=[pk]))
    published = api.post(reverse("appraisal-rubric-publish", args=[pk]))
    assert published.status_code == 200 and published.json()["published_at"]
    assert ObjectChange.objects.filter(object_id=str(pk), content_type__model="appraisalrubric").count() >= 5


def test_a_rubric_is_validated_and_keeps_its_county_and_year(world, api_for):
    api = api_for("county_admin")
    bad = api.post(reverse("appraisal-rubric-list"), {**RUBRIC, "weight_manual": 30}, format="json")
    assert bad.status_code == 400 and "weight_manual" in bad.json()
    pk = api.post(reverse("appraisal-rubric-list"), RUBRIC, format="json").json()["id"]
    moved = api.put(
        reverse("appraisal-rubric-detail", args=[pk]),
        {**RUBRIC, "county": "340421000000", "year": YEAR - 3, "volume_target": 10},
        format="json",
    )
    assert moved.status_code == 200
    rubric = AppraisalRubric.objects.get()
    assert (rubric.county.code, rubric.year, rubric.volume_target) == ("340422000000", YEAR, 10)
    other = api.post(reverse("appraisal-rubric-list"), {**RUBRIC, "county": "340421000000"}, format="json")
    assert other.status_code == 400 and "county" in other.json()
    assert api_for("expert").post(reverse("appraisal-rubric-list"), RUBRIC, format="json").status_code == 403
    assert api_for("supervisor").get(reverse("appraisal-rubric-detail", args=[pk])).status_code == 200
    assert api_for("county_admin_b").get(reverse("appraisal-rubric-detail", args=[pk])).status_code == 404


def test_a_county_sets_previews_and_posts_its_allocation_rule_through_the_api(world, api_for, paired):
    api = api_for("county_admin")
    body = {"county": "340422000000", "year": YEAR, "base_amount": "3400.00", "increment": "700.00"}
    created = api.post(reverse("allocation-rule-list"), body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    preview = api.get(reverse("allocation-rule-preview", args=[pk])).json()
    assert [(row["expert_name"], row["villages"], row["amount"], row["posted"]) for row in preview] == [
        ("li", 2, "4100.00", False),
        ("wang", 1, "3400.00", False),
    ]
    other_budget = make_budget(world, YEAR, county="county_b")
    refused = api.post(reverse("allocation-rule-post", args=[pk]), {"budget": other_budget.pk}, format="json")
    assert refused.status_code == 400 and "budget" in refused.json()
    budget = make_budget(world, YEAR)
    posted = api.post(reverse("allocation-rule-post", args=[pk]), {"budget": budget.pk}, format="json")
    assert posted.status_code == 200 and posted.json()["posted_at"] and posted.json()["budget"] == budget.pk
    assert all(row["posted"] for row in api.get(reverse("allocation-rule-preview", args=[pk])).json())
    again = api.put(reverse("allocation-rule-detail", args=[pk]), {**body, "increment": "0.00"}, format="json")
    assert again.status_code == 400  # posted: the amounts no longer change
    assert AllocationRule.objects.get().increment == Decimal("700.00")
    assert api_for("supervisor").post(reverse("allocation-rule-list"), body, format="json").status_code == 403
    assert api_for("county_admin_b").get(reverse("allocation-rule-preview", args=[pk])).status_code == 404


def workbook_rows(response) -> list[tuple]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def test_the_sheets_of_a_round_export_as_a_spreadsheet(world, client_for, paired):
    rubric = appraisals.save_appraisal_rubric(world.county_admin, county=world.county_a, year=YEAR)
    appraisals.compute_appraisal(world.county_admin, rubric)
    client = client_for("county_admin")
    page = client.get(reverse("commissioners:appraisal-rubric", args=[rubric.pk])).content.decode()
    url = f"{reverse('commissioners:appraisal-sheets')}?rubric={rubric.pk}&export=xlsx"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    rows = workbook_rows(response)
    assert len(rows[0]) == 18 and all(rows[0])
    assert sorted((row[3], row[5]) for row in rows[1:]) == [("li", "2"), ("wang", "1")]
    other = client_for("county_admin_b").get(url)
    assert other.status_code == 200 and len(workbook_rows(other)) == 1
