"""Whose move a demand waits for, as each viewer reads it: the lists and the demand page say "waiting for you" only
to whoever is to act (sciaid.assistance.turns), never to everyone."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sciaid.assistance import services
from sciaid.assistance.models import Demand
from sciaid.assistance.turns import whose_turn


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"assistance:{name}", args=args)


@pytest.fixture
def desk(world, experts, submit):
    """One demand at each move: to triage, to accept, served, asked the farmer, to rate."""
    submit(title="待分诊")
    to_accept = submit(title="待接受")
    services.assign(world.triage, to_accept, [experts["expert"]])
    served, asked, to_rate = (submit(title=title) for title in ("服务中", "问农户", "待评价"))
    for demand in (served, asked, to_rate):
        services.assign(world.triage, demand, [experts["expert"]])
        services.accept(world.expert, demand)
    services.reply(world.expert, asked, "水温多少？", asks_requester=True)
    services.resolve(world.expert, to_rate, "换水")
    return {d.title: d for d in Demand.objects.all()}


def labels(response) -> dict[str, str | None]:
    """Each row's title and the "waiting for …" label of its status cell."""
    assert response.status_code == 200
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode(), re.S):
        title = re.search(r"<a [^>]*>([^<]+)</a>", row)
        if title:
            turn = re.search(r'class="(?:muted )?turn">([^<]+)<', row)
            found[title.group(1)] = html.unescape(turn.group(1)) if turn else None
    return found


def test_the_county_admins_queue_says_whose_move_each_demand_waits_for(client_for, desk):
    # The queue used to say "Waiting for your answer" on every row: the county admin is nobody's expert.
    assert labels(client_for("county_admin").get(english("triage-queue"))) == {
        "待分诊": "Waiting for triage",
        "待接受": "Waiting for the expert to accept",
        "服务中": "Waiting for the expert's reply",
        "问农户": "Waiting for the farmer",
    }


def test_the_triage_officer_is_told_the_triage_is_theirs(client_for, desk):
    rows = labels(client_for("triage").get(english("triage-queue")))
    assert rows["待分诊"] == "Waiting for you to triage"
    assert rows["待接受"] == "Waiting for the expert to accept"


def test_the_info_officer_is_told_what_the_farmer_owes(client_for, desk):
    assert labels(client_for("info_officer").get(english("demand-list"))) == {
        "待分诊": "Waiting for triage",
        "待接受": "Waiting for the expert to accept",
        "服务中": "Waiting for the expert's reply",
        "问农户": "Waiting for your answer",
        "待评价": "Waiting for your rating",
    }


def test_the_expert_is_told_which_demands_wait_for_them(client_for, desk):
    assert labels(client_for("expert").get(english("expert-inbox"))) == {
        "待接受": "Waiting for your answer",
        "服务中": "Waiting for your reply",
        "问农户": "Waiting for the farmer",
    }


def test_the_demand_page_says_whose_move_it_is_to_each_viewer(client_for, desk):
    page = english("demand-detail", desk["待评价"].pk)
    assert "Waiting for your rating" in client_for("info_officer").get(page).content.decode()
    body = client_for("county_admin").get(page).content.decode()
    assert "Waiting for the farmer&#x27;s rating" in body and "Waiting for your" not in body


def test_a_finished_demand_waits_for_nobody(world, desk):
    demand = desk["待评价"]
    services.rate(world.info_officer, demand, 5)
    demand.refresh_from_db()
    assert whose_turn(world.info_officer, demand, None) is None


def test_the_lists_label_every_row_in_a_constant_number_of_queries(client_for, world, experts, submit, desk):
    client = client_for("info_officer")
    client.get(english("demand-list"))  # warm the caches
    with CaptureQueriesContext(connection) as before:
        client.get(english("demand-list"))
    for n in range(5):
        services.assign(world.triage, submit(title=f"更多{n}"), [experts["expert"]])
    with CaptureQueriesContext(connection) as after:
        client.get(english("demand-list"))
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize("page", ["triage-queue", "demand-list"])
def test_the_filter_form_has_no_label_without_a_field(client_for, desk, page):
    # The household filter is a hidden field (the API's ?household=): it used to show as a stray 贫困户 label.
    persona = "county_admin" if page == "triage-queue" else "info_officer"
    body = client_for(persona).get(reverse(f"assistance:{page}")).content.decode()
    form = re.search(r'<form method="get" class="filters">.*?</form>', body, re.S).group(0)
    assert not re.search(r"<label>[^<]*<input type=\"hidden\"", form)
    assert all(re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<label>(.*?)</label>", form, re.S))


def test_only_an_expert_is_offered_the_assigned_to_me_filter(world, client_for):
    """Info officers and the triage desk have no assignments: the filter would only ever show nothing."""
    for persona, page in (
        ("info_officer", "demand-list"),
        ("triage", "triage-queue"),
        ("county_admin", "triage-queue"),
    ):
        response = client_for(persona).get(reverse(f"assistance:{page}"))
        assert 'name="assigned_to_me"' not in response.content.decode(), persona
    assert 'name="assigned_to_me"' in client_for("expert").get(reverse("assistance:demand-list")).content.decode()
