"""Who may do what with the year-end API (allocation rules, appraisal rubrics and sheets): county admins of the county
act; supervisors read; info officers and experts see no rule or round (404), a commissioner only their own sheet
once published; another county's admin gets 404; bad bodies are 400 with the field."""

import pytest
from django.urls import reverse

from sciaid.commissioners.appraisals import services as appraisals
from sciaid.commissioners.models import Appraisal
from sciaid.commissioners.tests.conftest import YEAR
from sciaid.commissioners.tests.factories import make_budget

pytestmark = pytest.mark.django_db

RULE = {"county": "340422000000", "year": YEAR, "base_amount": "3400.00", "increment": "700.00"}


@pytest.fixture
def rule_id(world, api_for, commissioner) -> int:
    return api_for("county_admin").post(reverse("allocation-rule-list"), RULE, format="json").json()["id"]


@pytest.fixture
def computed(world, commissioner):
    rubric = appraisals.save_appraisal_rubric(world.county_admin, county=world.county_a, year=YEAR)
    return appraisals.compute_appraisal(world.county_admin, rubric)


@pytest.mark.parametrize("persona", ["info_officer", "expert", "county_admin_b", "farmer"])
def test_a_rule_is_hidden_from_who_does_not_keep_the_countys_books(world, api_for, rule_id, persona):
    client = api_for(persona)
    assert client.get(reverse("allocation-rule-detail", args=[rule_id])).status_code == 404
    assert client.get(reverse("allocation-rule-preview", args=[rule_id])).status_code == 404
    budget = make_budget(world, YEAR)
    assert client.post(reverse("allocation-rule-post", args=[rule_id]), {"budget": budget.pk}).status_code == 404
    assert rule_id not in [row["id"] for row in client.get(reverse("allocation-rule-list")).json()["results"]]


def test_a_supervisor_reads_a_rule_but_may_not_post_it(world, api_for, rule_id):
    client = api_for("supervisor")
    assert client.get(reverse("allocation-rule-preview", args=[rule_id])).status_code == 200
    budget = make_budget(world, YEAR)
    assert client.post(reverse("allocation-rule-post", args=[rule_id]), {"budget": budget.pk}).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**RULE, "base_amount": "-1"}, "base_amount"),
        ({**RULE, "increment": "12.345"}, "increment"),
        ({**RULE, "year": 1999}, "year"),
        ({**RULE, "county": "340422105201"}, "county"),
    ],
)
def test_a_bad_rule_is_a_400_with_the_field(world, api_for, body, field):
    response = api_for("county_admin").post(reverse("allocation-rule-list"), body, format="json")
    assert response.status_code == 400 and field in response.json()


def test_posting_needs_a_budget(world, api_for, rule_id):
    client = api_for("county_admin")
    assert "budget" in client.post(reverse("allocation-rule-post", args=[rule_id]), {}, format="json").json()
    missing = client.post(reverse("allocation-rule-post", args=[rule_id]), {"budget": 987654}, format="json")
    assert missing.status_code == 400 and "budget" in missing.json()


def test_a_round_is_run_by_the_county_only(world, api_for, computed):
    url = reverse("appraisal-rubric-review", args=[computed.pk])
    for persona, status in [("county_admin_b", 404), ("info_officer", 404), ("expert", 404), ("supervisor", 403)]:
        assert api_for(persona).post(url).status_code == status, persona
    assert api_for("county_admin").post(url).status_code == 200


def test_scores_are_entered_by_the_county_within_bounds(world, api_for, computed, commissioner):
    sheet = Appraisal.objects.get(rubric=computed, expert=commissioner)
    url = reverse("appraisal-score", args=[sheet.pk])
    bad = api_for("county_admin").post(url, {"opinion_score": "101", "manual_score": "-1"}, format="json")
    assert bad.status_code == 400 and {"opinion_score", "manual_score"} <= set(bad.json())
    good = api_for("county_admin").post(url, {"opinion_score": "90", "manual_score": "85"}, format="json")
    assert good.status_code == 200 and good.json()["manual_score"] == "85.00"
    assert api_for("county_admin_b").post(url, {"opinion_score": "1", "manual_score": "1"}).status_code == 404
    assert api_for("supervisor").post(url, {"opinion_score": "1", "manual_score": "1"}).status_code == 403
    # The commissioner sees their sheet only once the round is published.
    assert api_for("expert").get(reverse("appraisal-detail", args=[sheet.pk])).status_code == 404
    appraisals.review_appraisal(world.county_admin, computed)
    appraisals.publish_appraisal(world.county_admin, computed)
    assert api_for("expert").get(reverse("appraisal-detail", args=[sheet.pk])).json()["published"] is True
