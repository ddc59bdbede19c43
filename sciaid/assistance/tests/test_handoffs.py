"""Triage turns a demand into a technology need (issue 11): offered to the county desk while the demand is in triage,
made once, linked from the demand's page, noted in its thread and audit log; the demand keeps its state.
Refusals through the page and the API: wrong role (403), other county (404), unknown handoff (400), too late (409)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from sciaid.achievements.models import TechnologyNeed
from sciaid.assistance import services
from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand, Message
from sciaid.core import handoffs as registry
from sciaid.core.models import ObjectChange

pytestmark = pytest.mark.usefixtures("english")

BUTTON = 'id="handoff-technology_need"'


def page(client, demand) -> str:
    return client.get(reverse("assistance:demand-detail", args=[demand.pk])).content.decode()


def hand_over(client, demand, to: str = "technology_need"):
    return client.post(reverse("assistance:demand-action", args=[demand.pk, "handoff"]), {"to": to})


def api_hand_over(client, demand, body: dict | None = None):
    body = {"to": "technology_need"} if body is None else body
    return client.post(reverse("demand-handoff", args=[demand.pk]), body, format="json")


def test_the_desk_turns_a_demand_into_a_need_linked_from_its_page(world, submit, client_for):
    demand = submit()
    triage = client_for("triage")
    assert BUTTON in page(triage, demand)

    response = hand_over(triage, demand)

    assert response.status_code == 302
    need = TechnologyNeed.objects.get(source_demand_id=demand.pk)
    assert (need.title, need.description) == (demand.title, demand.description)
    assert need.area == world.village_a1 and need.industry == demand.specialty
    assert need.source_label == f"Demand no. {demand.pk}: {demand.title}"
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED, "the demand may still be served"
    note = Message.objects.get(demand=demand)
    assert note.author == world.triage and note.text == f"Turn into a technology need: {need.title}"
    logged = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Demand),
        object_id=str(demand.pk),
        after__handoff="technology_need",
    )
    assert logged.count() == 1
    html = page(triage, demand)
    assert f'href="{need.get_absolute_url()}"' in html and BUTTON not in html


def test_handing_over_twice_gives_the_need_already_made(world, submit):
    demand = submit()
    first = services.hand_over(world.triage, demand, "technology_need")
    again = services.hand_over(world.county_admin, demand, "technology_need")
    assert first.created and not again.created and again.record == first.record
    assert TechnologyNeed.objects.filter(source_demand_id=demand.pk).count() == 1
    assert Message.objects.filter(demand=demand).count() == 1


def test_only_the_county_desk_is_offered_the_handoff(world, submit, client_for):
    demand = submit()
    assert BUTTON in page(client_for("county_admin"), demand)
    for persona in ("info_officer", "supervisor"):
        assert BUTTON not in page(client_for(persona), demand), persona
    hand_over(client_for("info_officer"), demand)
    assert not TechnologyNeed.objects.exists()


def test_a_demand_no_longer_in_triage_is_not_offered_nor_handed_over(world, submit, experts, client_for):
    demand = submit()
    services.assign(world.triage, demand, [experts["expert"]])
    assert BUTTON not in page(client_for("triage"), demand)
    response = hand_over(client_for("triage"), demand)
    assert response.status_code == 302 and not TechnologyNeed.objects.exists()


def test_who_may_not_open_the_need_reads_that_the_demand_was_handed_over(world, submit, client_for):
    demand = submit()
    need = services.hand_over(world.triage, demand, "technology_need").record
    html = page(client_for("info_officer"), demand)
    assert "Handed over" in html and need.get_absolute_url() not in html


def test_without_a_registered_handoff_nothing_is_offered(world, submit, client_for, monkeypatch):
    monkeypatch.setattr(registry, "_handoffs", {})
    demand = submit()
    assert BUTTON not in page(client_for("triage"), demand)
    hand_over(client_for("triage"), demand)
    assert not TechnologyNeed.objects.exists()


def test_the_api_makes_the_need_once(world, submit, api_for):
    demand = submit()
    client = api_for("triage")
    created = api_hand_over(client, demand)
    assert created.status_code == 201, created.json()
    need = TechnologyNeed.objects.get(source_demand_id=demand.pk)
    assert created.json()["id"] == need.pk and created.json()["to"] == "technology_need"
    assert created.json()["url"].endswith(need.get_absolute_url())
    again = api_hand_over(client, demand)
    assert again.status_code == 200 and again.json()["id"] == need.pk


def test_the_api_refusals_change_nothing(world, submit, experts, api_for):
    demand = submit()
    unknown = api_hand_over(api_for("triage"), demand, {"to": "orchard"})
    assert unknown.status_code == 400 and "to" in unknown.json()
    assert api_hand_over(api_for("triage"), demand, {}).status_code == 400
    assert api_hand_over(api_for("expert"), demand).status_code == 404  # not assigned: not in the expert's view
    assert api_hand_over(api_for("info_officer"), demand).status_code == 403
    assert api_hand_over(api_for("supervisor"), demand).status_code == 403
    assert api_hand_over(api_for("county_admin_b"), demand).status_code == 404
    services.assign(world.triage, demand, [experts["expert"]])
    late = api_hand_over(api_for("triage"), demand)
    assert late.status_code == 409 and late.json()["code"] == "transition_refused"
    assert api_hand_over(api_for("expert"), demand).status_code == 403
    assert not TechnologyNeed.objects.exists() and not Message.objects.filter(demand=demand).exists()
