"""A county enters last year's paper records of a demand through the API: every step takes the day it happened
(`occurred_on`), bounded (not in the future, a submission not before the start of last year, a step not before the
previous one), audited with both dates, and counted in last year's statistics and subsidies."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sciaid.assistance import services
from sciaid.assistance.forms import RateForm
from sciaid.assistance.models import Assignment, Demand
from sciaid.assistance.statistics import assistance_statistics
from sciaid.core.models import ObjectChange

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
CRITERIA = dict.fromkeys(["on_target", "effective", "truthful", "complete", "timely"], True)


def on(month: int, day: int) -> str:
    return date(LAST_YEAR, month, day).isoformat()


def act(client, demand_id: int, name: str, data: dict | None = None):
    return client.post(reverse(f"demand-{name.replace('_', '-')}", args=[demand_id]), data or {}, format="json")


def local_day(moment) -> date:
    return timezone.localdate(moment)


def submit_last_year(api_for, world, day: str = on(3, 1)):
    return api_for("info_officer").post(
        reverse("demand-list"),
        {
            "title": "河蟹七月大量死亡",
            "description": "池塘河蟹最近死亡很多",
            "specialty": "river-crabs",
            "village": world.village_a1.code,
            "household": world.household_a1.pk,
            "occurred_on": day,
        },
        format="json",
    )


@pytest.fixture
def resolved_last_year(world, experts, api_for) -> int:
    """A demand of last March entered step by step with its dates, up to its resolution on 10 March."""
    pk = submit_last_year(api_for, world).json()["id"]
    triage, expert = api_for("triage"), api_for("expert")
    assert act(triage, pk, "triage", {"urgency": "urgent", "occurred_on": on(3, 2)}).status_code == 200
    assert act(triage, pk, "assign", {"experts": [experts["expert"].pk], "occurred_on": on(3, 2)}).status_code == 200
    assert act(expert, pk, "accept", {"occurred_on": on(3, 3)}).status_code == 200
    assert act(expert, pk, "resolve", {"solution_summary": "换水增氧", "occurred_on": on(3, 10)}).status_code == 200
    return pk


def test_a_county_enters_last_years_demand_with_the_days_it_happened(world, experts, api_for, resolved_last_year):
    pk = resolved_last_year
    rated = act(api_for("info_officer"), pk, "rate", {"rating": 5, "occurred_on": on(3, 12)})
    assert rated.status_code == 200 and rated.json()["status"] == "closed"
    called = act(api_for("triage"), pk, "callback", {"answer": "好了", "satisfied": True, "occurred_on": on(3, 15)})
    assert called.status_code == 200
    judged = act(api_for("county_admin"), pk, "judge", {"valid": True, **CRITERIA, "occurred_on": on(3, 20)})
    assert judged.status_code == 200 and judged.json()["valid"] is True

    demand = Demand.objects.get(pk=pk)
    days = [
        local_day(getattr(demand, f))
        for f in ("submitted_at", "triaged_at", "assigned_at", "accepted_at", "resolved_at", "rated_at", "closed_at")
    ]
    assert [d.isoformat() for d in days] == [
        on(3, 1),
        on(3, 2),
        on(3, 2),
        on(3, 3),
        on(3, 10),
        on(3, 12),
        on(3, 12),
    ]
    assert (local_day(demand.called_at), local_day(demand.judged_at)) == (
        date(LAST_YEAR, 3, 15),
        date(LAST_YEAR, 3, 20),
    )
    # The expert's response time counts from the real assignment to the real acceptance (one day), not from today.
    assert Assignment.objects.get(demand=demand).response_seconds == 24 * 3600

    # Last year's figures count it; this year's do not.
    year = services.subsidies(world.county_a, LAST_YEAR)
    assert {row.kind: row.services for row in year}["expert"] == 1
    assert {row.kind: row.amount for row in year}["expert"] == Decimal("100.00")
    assert not [row for row in services.subsidies(world.county_a, LAST_YEAR + 1) if row.services]
    figures = assistance_statistics(
        world.county_admin, world.county_a, date(LAST_YEAR, 1, 1), date(LAST_YEAR + 1, 1, 1)
    )
    assert figures["demands"] == 1 and figures["satisfaction"] == {"rated": 1, "satisfied": 1, "rate": Decimal("100.0")}

    # Audited with both: the moment recorded in the entry, the time it was typed in the entry's own time.
    rating = ObjectChange.objects.get(object_id=str(pk), content_type__model="demand", note="rate")
    assert rating.after["rated_at"].startswith(on(3, 12)) and local_day(rating.time) == timezone.localdate()


def test_back_dated_steps_run_the_deadline_from_the_entry(world, experts, api_for):
    """A step of last March must not make the demand overdue (and escalated) the moment it is entered."""
    pk = submit_last_year(api_for, world).json()["id"]
    act(api_for("triage"), pk, "assign", {"experts": [experts["expert"].pk], "occurred_on": on(3, 2)})
    demand = Demand.objects.get(pk=pk)
    assert local_day(demand.assigned_at) == date(LAST_YEAR, 3, 2)
    assert demand.due_at > timezone.now()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ((timezone.localdate() + timedelta(days=1)).isoformat(), "future"),
        (date(LAST_YEAR - 1, 12, 31).isoformat(), "start of last year"),
    ],
)
def test_a_submission_out_of_bounds_is_refused(world, api_for, day, message):
    response = submit_last_year(api_for, world, day)
    assert response.status_code == 400 and message in response.json()["occurred_on"][0]
    assert not Demand.objects.exists()


def test_a_step_before_the_previous_one_is_refused(world, experts, api_for, resolved_last_year):
    pk = resolved_last_year
    early = act(api_for("info_officer"), pk, "rate", {"rating": 4, "occurred_on": on(3, 9)})
    assert early.status_code == 400
    assert "previous step" in early.json()["occurred_on"][0] and on(3, 10) in early.json()["occurred_on"][0]
    future = act(
        api_for("triage"), pk, "close", {"occurred_on": (timezone.localdate() + timedelta(days=3)).isoformat()}
    )
    assert future.status_code == 400 and "future" in future.json()["occurred_on"][0]
    assert act(api_for("triage"), pk, "close", {"occurred_on": "yesterday"}).status_code == 400
    demand = Demand.objects.get(pk=pk)
    assert demand.status == "resolved" and demand.rating is None


def test_a_step_dated_the_same_day_as_the_previous_one_stays_after_it(world, experts, api_for, resolved_last_year):
    """Noon of the day, but never before the previous step's moment: the steps of one record stay in order."""
    pk = resolved_last_year
    Demand.objects.filter(pk=pk).update(resolved_at=timezone.make_aware(datetime(LAST_YEAR, 3, 10, 17)))
    assert act(api_for("triage"), pk, "close", {"occurred_on": on(3, 10)}).status_code == 200
    demand = Demand.objects.get(pk=pk)
    assert demand.closed_at >= demand.resolved_at


def test_roles_and_jurisdiction_still_apply_to_dated_steps(world, experts, api_for, resolved_last_year):
    pk = resolved_last_year
    assert act(api_for("expert"), pk, "close", {"occurred_on": on(3, 11)}).status_code == 403
    assert act(api_for("county_admin_b"), pk, "close", {"occurred_on": on(3, 11)}).status_code == 404
    assert act(api_for("supervisor"), pk, "close", {"occurred_on": on(3, 11)}).status_code == 403


def test_county_staff_date_a_call_back_on_the_page_and_farmers_are_not_offered_a_date(
    world, experts, client_for, resolved_last_year
):
    pk = resolved_last_year
    act_url = reverse("assistance:demand-action", args=[pk, "callback"])
    page = client_for("triage").get(reverse("assistance:demand-detail", args=[pk])).content.decode()
    assert 'name="occurred_on"' in page
    refused = client_for("triage").post(act_url, {"answer": "满意", "satisfied": "on", "occurred_on": on(3, 9)})
    assert refused.status_code in (200, 302) and Demand.objects.get(pk=pk).called_at is None  # refused, shown why
    done = client_for("triage").post(act_url, {"answer": "满意", "satisfied": "on", "occurred_on": on(3, 15)})
    assert done.status_code == 302
    assert local_day(Demand.objects.get(pk=pk).called_at) == date(LAST_YEAR, 3, 15)
    demand = Demand.objects.get(pk=pk)
    assert "occurred_on" not in RateForm(user=world.users["farmer"], instance=demand).fields
    assert "occurred_on" in RateForm(user=world.users["info_officer"], instance=demand).fields


def test_a_back_dated_resolution_leaves_the_farmer_the_whole_window_to_rate(resolved_last_year, settings):
    demand = Demand.objects.get(pk=resolved_last_year)
    assert local_day(demand.resolved_at).isoformat() == on(3, 10)
    days = settings.ASSISTANCE_AUTO_CLOSE_DAYS

    assert services.close_unrated() == 0
    assert services.close_unrated(timezone.now() + timedelta(days=days - 1)) == 0
    assert Demand.objects.get(pk=demand.pk).status == "resolved"
    assert services.close_unrated(timezone.now() + timedelta(days=days + 1)) == 1
    assert Demand.objects.get(pk=demand.pk).status == "closed"
