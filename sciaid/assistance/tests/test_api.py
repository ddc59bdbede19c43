"""The demand journey through the API, and every refusal: wrong role (403), wrong county (404), wrong state (409)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.core.models import Notification, ObjectChange

LIST = reverse("demand-list")


def act(client, demand, name: str, data: dict | None = None):
    return client.post(reverse(f"demand-{name.replace('_', '-')}", args=[demand.pk]), data or {}, format="json")


def test_the_whole_journey(world, experts, api_for):
    officer, triage, expert = api_for("info_officer"), api_for("triage"), api_for("expert")
    response = officer.post(
        LIST,
        {
            "title": "河蟹七月大量死亡",
            "description": "池塘河蟹最近死亡很多，水质发绿",
            "specialty": "river-crabs",
            "village": world.village_a1.code,
            "household": world.household_a1.pk,
            "farmer_phone": "13905540001",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    demand = Demand.objects.get(pk=response.json()["id"])
    assert demand.status == DemandStatus.SUBMITTED and demand.due_at is not None
    assert Notification.objects.filter(recipient=world.triage, kind="demand.submitted").exists()

    assert act(triage, demand, "triage", {"urgency": "urgent"}).json()["status"] == "triaged"
    ranked = triage.get(reverse("demand-recommendations", args=[demand.pk])).json()
    assert ranked[0]["expert"] == experts["expert"].pk
    assert experts["expert_b"].pk not in [row["expert"] for row in ranked]

    assert act(triage, demand, "assign", {"experts": [ranked[0]["expert"]]}).json()["status"] == "assigned"
    assert act(expert, demand, "accept").json()["status"] == "accepted"
    body = act(expert, demand, "reply", {"text": "水温多少度？", "asks_requester": True}).json()
    assert body["status"] == "in_service" and body["paused_since"] is not None
    body = act(officer, demand, "reply", {"text": "32度"}).json()
    assert body["paused_since"] is None and len(body["messages"]) == 2
    when = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    assert len(act(expert, demand, "schedule_visit", {"scheduled_for": when, "place": "姚祠村塘口"}).json()["visits"])
    assert act(expert, demand, "resolve", {"solution_summary": "换水增氧，投放底改"}).json()["status"] == "resolved"
    assert act(officer, demand, "rate", {"rating": 5, "comment": "很及时"}).json()["status"] == "closed"
    body = act(triage, demand, "callback", {"answer": "蟹不死了", "satisfied": True}).json()
    assert body["callback_satisfied"] is True and body["status"] == "closed"
    criteria = dict.fromkeys(["on_target", "effective", "truthful", "complete", "timely"], True)
    body = act(api_for("county_admin"), demand, "judge", {"valid": True, **criteria}).json()
    assert body["valid"] is True

    demand.refresh_from_db()
    assert demand.resolved_by == experts["expert"]
    assert [d for d in (demand.triaged_at, demand.assigned_at, demand.accepted_at, demand.closed_at) if d is None] == []
    rows = {row.kind: row for row in services.subsidies(world.county_a, demand.resolved_at.year)}
    assert rows["expert"].amount == Decimal("100.00")
    assert rows["info_officer"].services == 1 and rows["info_officer"].amount == Decimal("0.00")
    assert ObjectChange.objects.filter(object_id=str(demand.pk), action="transition").count() >= 10


def test_an_expert_declining_sends_it_back_to_triage(world, experts, submit, api_for):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    assert act(api_for("expert"), demand, "decline", {"reason": ""}).status_code == 400
    body = act(api_for("expert"), demand, "decline", {"reason": "出差"}).json()
    assert body["status"] == "declined" and body["assignments"][0]["status"] == "declined"
    assert act(api_for("triage"), demand, "assign", {"experts": [experts["expert_city"].pk]}).status_code == 200


@pytest.mark.parametrize(
    ("persona", "action", "data"),
    [
        ("info_officer", "triage", {}),
        ("farmer", "assign", {"experts": []}),
        ("info_officer", "reject", {"reason": "x"}),
        ("triage", "judge", {"valid": False}),
        ("supervisor", "triage", {}),
    ],
)
def test_a_wrong_role_is_refused(world, experts, submit, api_for, persona, action, data):
    demand = submit(household=world.household_a1)
    response = act(api_for(persona), demand, action, data)
    assert response.status_code == 403
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_another_county_does_not_see_the_demand(world, experts, submit, api_for):
    demand = submit()
    for persona in ("county_admin_b", "info_officer_b", "outsider"):
        client = api_for(persona)
        assert client.get(reverse("demand-detail", args=[demand.pk])).status_code == 404
        assert act(client, demand, "triage").status_code == 404
    assert act(api_for("expert_b"), demand, "accept").status_code == 404


def test_an_expert_sees_only_the_demands_assigned_to_them(world, experts, submit, api_for):
    mine, other = submit(), submit(title="别的需求")
    services.assign(world.triage, mine, [experts["expert"], experts["expert_city"]])
    listed = api_for("expert").get(LIST).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert act(api_for("expert"), other, "accept").status_code == 404
    inbox = api_for("expert").get(LIST, {"assigned_to_me": "true"}).json()["results"]
    assert [row["id"] for row in inbox] == [mine.pk]


def test_an_experts_pick_outside_the_countys_reach_is_refused(world, experts, submit, api_for):
    demand = submit()
    response = act(api_for("admin"), demand, "assign", {"experts": [experts["expert_b"].pk]})
    assert response.status_code == 400 and "experts" in response.json()


@pytest.mark.parametrize(
    ("persona", "action", "data"),
    [
        ("info_officer", "rate", {"rating": 5}),
        ("triage", "close", {}),
        ("triage", "callback", {"answer": "ok", "satisfied": True}),
        ("county_admin", "judge", {"valid": False}),
    ],
)
def test_a_step_out_of_order_is_a_conflict(world, experts, submit, api_for, persona, action, data):
    demand = submit()
    response = act(api_for(persona), demand, action, data)
    assert response.status_code == 409
    assert response.json()["code"] == "transition_refused"


def test_assigning_twice_is_a_conflict(world, experts, submit, api_for):
    demand = submit()
    client = api_for("triage")
    assert act(client, demand, "assign", {"experts": [experts["expert"].pk]}).status_code == 200
    assert act(client, demand, "assign", {"experts": [experts["expert_city"].pk]}).status_code == 409
    assert list(demand.assignments.values_list("expert__user__username", flat=True)) == ["expert"]


def test_a_valid_judgement_needs_all_five_criteria(world, experts, submit, api_for):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    services.resolve(world.expert, demand, "换水")
    services.close(world.triage, demand)
    response = act(api_for("county_admin"), demand, "judge", {"valid": True, "on_target": True})
    assert response.status_code == 400
    body = act(api_for("county_admin"), demand, "judge", {"valid": False, "note": "常识问题"}).json()
    assert body["valid"] is False


def test_merging_a_duplicate(world, experts, submit, api_for):
    first = submit(household=world.household_a1)
    second = submit(household=world.household_a1)
    assert second.possible_duplicate_of == first
    client = api_for("triage")
    assert act(client, second, "merge", {"into": second.pk}).status_code == 400
    body = act(client, second, "merge", {"into": first.pk}).json()
    assert body["status"] == "merged" and body["merged_into"] == first.pk


def test_rejecting_needs_a_reason(world, submit, api_for):
    demand = submit()
    assert act(api_for("triage"), demand, "reject", {"reason": " "}).status_code == 400
    assert act(api_for("triage"), demand, "reject", {"reason": "不是技术需求"}).json()["status"] == "rejected"


def test_a_farmer_submits_for_their_own_household_only(world, api_for):
    client = api_for("farmer")
    body = {"title": "茶叶发黄", "description": "叶子发黄", "specialty": "tea"}
    response = client.post(LIST, body, format="json")
    assert response.status_code == 201
    assert response.json()["village"] == world.village_a1.code and response.json()["household"] == world.household_a1.pk
    other = client.post(LIST, {**body, "household": world.household_a2.pk}, format="json")
    assert other.status_code == 400  # not a household the farmer may see
    assert api_for("outsider").post(LIST, body, format="json").status_code == 403


def test_an_officer_cannot_submit_for_another_village(world, api_for):
    body = {"title": "t", "description": "d", "specialty": "tea", "village": world.village_b1.code}
    assert api_for("info_officer").post(LIST, body, format="json").status_code == 400


def test_the_farmers_phone_is_masked_for_the_expert(world, experts, submit, api_for):
    demand = submit(farmer_phone="13905540001")
    services.assign(world.triage, demand, [experts["expert"]])
    url = reverse("demand-detail", args=[demand.pk])
    assert api_for("expert").get(url).json()["farmer_phone"] == "139****0001"
    assert api_for("info_officer").get(url).json()["farmer_phone"] == "13905540001"


def test_recommendations_are_for_the_county_desk(world, experts, submit, api_for):
    demand = submit()
    assert api_for("info_officer").get(reverse("demand-recommendations", args=[demand.pk])).status_code == 403


def test_similar_resolved_demands_are_found(world, experts, submit, api_for):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    services.accept(world.expert, demand)
    services.resolve(world.expert, demand, "换水增氧")
    submit(title="苹果树修剪", description="果树怎么修剪")
    found = api_for("triage").get(reverse("demand-similar"), {"q": "河蟹死亡"}).json()
    assert [row["id"] for row in found] == [demand.pk]
    assert api_for("triage").get(reverse("demand-similar")).status_code == 400


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_is_flat(world, experts, submit, api_for, count):
    for i in range(count):
        submit(title=f"需求{i}")
    client = api_for("triage")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"page_size": 100})
    assert response.json()["count"] == count
    # Grants, whether the officer owns any demand (their own branch of the scope), the row count, the page (the API's
    # area filter only validates: no widget query): for 3 rows and for 30.
    assert len(queries) == 4, "\n".join(q["sql"][:140] for q in queries)
