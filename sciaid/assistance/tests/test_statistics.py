"""Statistics of a hand-built county: every figure checked against a value computed by hand in the docstring of
`march`; the period parser; the page and the API for allowed and refused users; constant query counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciaid.assistance.choices import AssignmentStatus, DemandStatus
from sciaid.assistance.models import Assignment, Demand
from sciaid.assistance.statistics import assistance_statistics, parse_period
from sciaid.core.roles import Role
from sciaid.experts.models import Specialty


def at(day: int, hour: int, month: int = 3) -> datetime:
    return timezone.make_aware(datetime(2020, month, day, hour))


def hours_later(moment: datetime, hours: float) -> datetime:
    return moment + timedelta(hours=hours)


def make_demand(world, village: str, specialty: str, submitted: datetime, *, requester="info_officer", **fields):
    """A demand stored directly with known timestamps (the journey itself is tested in test_services)."""
    user = world.users[requester]
    demand = Demand.objects.create(
        title=f"{specialty} @ {village}",
        description="问题",
        specialty=Specialty.objects.get(code=specialty),
        village=world.areas[village],
        requester=user,
        requester_role=Role.INFO_OFFICER if requester == "info_officer" else Role.FARMER,
        **fields,
    )
    Demand.objects.filter(pk=demand.pk).update(submitted_at=submitted)
    return demand


def served(world, experts, village, specialty, submitted, *, triage_h, response_h, expert, rating, valid, **kw):
    """A closed demand: triaged after `triage_h` hours (and assigned then), accepted `response_h` hours later,
    resolved two days after submission."""
    triaged = hours_later(submitted, triage_h)
    accepted = hours_later(triaged, response_h)
    demand = make_demand(
        world,
        village,
        specialty,
        submitted,
        status=DemandStatus.CLOSED,
        triaged_at=triaged,
        assigned_at=triaged,
        accepted_at=accepted,
        resolved_at=submitted + timedelta(days=2),
        closed_at=submitted + timedelta(days=3),
        resolved_by=experts[expert],
        rating=rating,
        valid=valid,
        **kw,
    )
    assignment = Assignment.objects.create(
        demand=demand,
        expert=experts[expert],
        assigned_by=world.triage,
        status=AssignmentStatus.ACCEPTED,
        responded_at=accepted,
        response_seconds=int(response_h * 3600),
    )
    Assignment.objects.filter(pk=assignment.pk).update(assigned_at=triaged)
    return demand


@pytest.fixture
def march(world, experts):
    """County A in March 2020 (township A1 = villages A1, A2; township A2 = village A3):

    d1 A1 crabs  closed  triage 2h  response 4h  expert       rating 5 valid     by the info officer
    d2 A2 crabs  closed  triage 4h  response 8h  expert_fruit rating 3 not valid by the info officer
    d3 A3 fruit  closed  triage 6h  response 2h  expert_fruit rating 4 valid     by the farmer
    d4 A1 fruit  submitted, due 21 March: overdue now
    d5 A3 crabs  assigned, triage 10h, escalated once, not yet due
    and, not counted: one in county B in March, one in county A in April.
    """
    served(world, experts, "village_a1", "river-crabs", at(2, 8), triage_h=2, response_h=4, expert="expert",
           rating=5, valid=True)  # fmt: skip
    served(world, experts, "village_a2", "river-crabs", at(3, 8), triage_h=4, response_h=8, expert="expert_fruit",
           rating=3, valid=False)  # fmt: skip
    served(world, experts, "village_a3", "fruit-trees", at(4, 8), triage_h=6, response_h=2, expert="expert_fruit",
           rating=4, valid=True, requester="farmer")  # fmt: skip
    make_demand(world, "village_a1", "fruit-trees", at(20, 9), due_at=at(21, 9))
    make_demand(
        world,
        "village_a3",
        "river-crabs",
        at(25, 8),
        status=DemandStatus.ASSIGNED,
        triaged_at=at(25, 18),
        assigned_at=at(25, 18),
        escalation_level=1,
        due_at=timezone.now() + timedelta(days=1),
    )
    make_demand(world, "village_b1", "river-crabs", at(10, 8), requester="info_officer_b")
    make_demand(world, "village_a1", "river-crabs", at(2, 8, month=4))
    return world


def statistics_for(world, persona="county_admin", area="county_a", period="2020-03"):
    period = parse_period(period)
    return assistance_statistics(world.users[persona], world.areas[area], period.start, period.end)


# --- the figures ----------------------------------------------------------------------------------------------


def test_counts_by_state_specialty_and_township(march):
    stats = statistics_for(march)
    assert stats["demands"] == 5
    counts = {row["state"]: row["count"] for row in stats["by_state"]}
    assert counts == {**dict.fromkeys(DemandStatus.values, 0), "closed": 3, "submitted": 1, "assigned": 1}
    assert [(row["code"], row["count"]) for row in stats["by_category"]] == [("breeding", 3), ("planting", 2)]
    assert [(row["code"], row["count"]) for row in stats["by_specialty"]] == [("river-crabs", 3), ("fruit-trees", 2)]
    assert [(row["code"], row["count"], row["open"]) for row in stats["by_township"]] == [
        ("340422105000", 3, 1),
        ("340422106000", 2, 1),
    ]


def test_medians_rates_and_breaches(march):
    stats = statistics_for(march)
    assert stats["median_triage_hours"] == 5.0  # 2, 4, 6, 10
    assert stats["median_response_hours"] == 4.0  # 4, 8, 2
    assert stats["satisfaction"] == {"rated": 3, "satisfied": 2, "rate": Decimal("66.7")}
    assert stats["validity"] == {"judged": 3, "valid": 2, "rate": Decimal("66.7")}
    assert stats["sla"] == {"breaches": 2, "overdue_now": 1}


def test_rankings(march):
    rankings = statistics_for(march)["rankings"]
    assert [(r["rank"], r["name"], r["valid_services"], r["satisfaction_rate"]) for r in rankings["townships"]] == [
        (1, "安丰镇", 1, Decimal("100.0")),
        (2, "隐贤镇", 1, Decimal("50.0")),
    ]
    assert [(r["rank"], r["id"], r["valid_services"]) for r in rankings["info_officers"]] == [
        (1, march.info_officer.pk, 1)
    ]
    experts = [(r["rank"], r["name"], r["valid_services"], r["mean_rating"], r["median_response_hours"])
               for r in rankings["experts"]]  # fmt: skip
    assert experts == [
        (1, "Expert expert", 1, Decimal("5.00"), 4.0),
        (2, "Expert expert_fruit", 1, Decimal("3.50"), 5.0),
    ]


def test_subsidies_of_the_year_follow_the_county_rule(march):
    rows = {(row["kind"], row["name"]): (row["services"], row["amount"]) for row in statistics_for(march)["subsidies"]}
    assert rows == {
        ("expert", "Expert expert"): (1, Decimal("100.00")),
        ("expert", "Expert expert_fruit"): (1, Decimal("100.00")),
        ("info_officer", march.info_officer.username): (1, Decimal("0.00")),
    }
    assert statistics_for(march, area="township_a1")["subsidies"] == []


def test_a_township_and_another_period(march):
    assert statistics_for(march, area="township_a2")["demands"] == 2
    assert statistics_for(march, period="2020-04")["demands"] == 1
    assert statistics_for(march, period="2020-Q1")["demands"] == 5
    assert statistics_for(march, period="2020")["demands"] == 6


def test_only_what_the_user_may_see(march):
    assert statistics_for(march, persona="county_admin_b")["demands"] == 0
    assert statistics_for(march, persona="county_admin_b", area="county_b")["demands"] == 1


def test_the_query_count_does_not_grow_with_the_data(march, experts):
    statistics_for(march)  # loads the user's grants, cached on the user
    with CaptureQueriesContext(connection) as before:
        statistics_for(march)
    for day in range(5, 15):
        served(march, experts, "village_a2", "fruit-trees", at(day, 8), triage_h=1, response_h=1,
               expert="expert_city", rating=2, valid=True)  # fmt: skip
        make_demand(march, "village_a3", "vegetables", at(day, 9))
    with CaptureQueriesContext(connection) as after:
        stats = statistics_for(march)
    assert stats["demands"] == 25
    # Two of them ask whether the user owns any demand (outside a request nothing keeps that answer).
    assert len(after) == len(before) <= 15, [q["sql"][:120] for q in after]


# --- periods ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2020", date(2020, 1, 1), date(2021, 1, 1)),
        ("2020-03", date(2020, 3, 1), date(2020, 4, 1)),
        ("2020-12", date(2020, 12, 1), date(2021, 1, 1)),
        ("2020-Q1", date(2020, 1, 1), date(2020, 4, 1)),
        ("2020-q4", date(2020, 10, 1), date(2021, 1, 1)),
    ],
)
def test_period_parser(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["", "20", "2020-13", "2020-00", "2020-Q5", "2020/03", "march", "1999", "2020-03-01"])
def test_period_parser_refuses(text):
    with pytest.raises(ValidationError) as refused:
        parse_period(text)
    assert "period" in refused.value.message_dict


# --- the page ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["county_admin", "triage", "supervisor", "admin"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_page_shows_the_figures(march, client_for, persona, prefix):
    response = client_for(persona).get(
        f"{prefix}/assistance/statistics/", {"area": "340422000000", "period": "2020-03"}
    )
    assert response.status_code == 200
    assert response.context["stats"]["demands"] == 5
    body = response.content.decode()
    assert "66.7%" in body and "Expert expert_fruit" in body
    assert 'id="statistics-data"' in body and "echarts-6.1.0.simple.min.js" in body
    assert f'<html lang="{"en" if prefix else "zh-hans"}">' in body


def test_the_page_opens_on_the_users_area_and_latest_year(march, client_for):
    response = client_for("county_admin").get("/en/assistance/statistics/")
    assert response.status_code == 200
    assert response.context["area"] == march.county_a
    assert response.context["period"].text == "2020"


def test_a_period_alone_keeps_the_users_area_without_an_error(march, client_for):
    response = client_for("county_admin").get("/en/assistance/statistics/", {"period": "2020"})
    assert not response.context["form"].errors
    assert response.context["area"] == march.county_a


def test_the_page_refuses_others(march, client_for):
    assert client_for("farmer").get("/assistance/statistics/").status_code == 403
    assert client_for("expert").get("/assistance/statistics/").status_code == 403
    other = client_for("county_admin").get("/assistance/statistics/", {"area": "340421000000"})
    assert other.status_code == 404
    unknown = client_for("county_admin").get("/assistance/statistics/", {"area": "999999999999"})
    assert unknown.status_code == 404


def test_a_bad_period_is_shown_on_the_form(march, client_for):
    response = client_for("county_admin").get(
        "/en/assistance/statistics/", {"area": "340422000000", "period": "2020-13"}
    )
    assert response.status_code == 200
    assert "stats" not in response.context
    assert "The month must be between 01 and 12." in response.content.decode()


def test_rankings_export(march, client_for):
    response = client_for("county_admin").get(
        "/en/assistance/statistics/", {"area": "340422000000", "period": "2020-03", "export": "csv"}
    )
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Ranking,Rank,Name,Valid services")
    assert "Experts,2,Expert expert_fruit,1,,3.50,5.0" in lines
    xlsx = client_for("county_admin").get("/assistance/statistics/", {"area": "340422000000", "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')


def test_the_page_query_count_is_constant(march, client_for, experts):
    client = client_for("county_admin")
    url = "/en/assistance/statistics/?area=340422000000&period=2020-03"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for day in range(5, 12):
        served(march, experts, "village_a1", "tea", at(day, 8), triage_h=1, response_h=1, expert="expert",
               rating=5, valid=True)  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# --- the API ----------------------------------------------------------------------------------------------------


def test_the_api_returns_the_same_figures_as_json(march, api_for):
    response = api_for("triage").get("/api/v1/reports/assistance/", {"area": "340422000000", "period": "2020-03"})
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"start": "2020-03-01", "end": "2020-04-01", "text": "2020-03"}
    assert data["demands"] == 5
    assert data["satisfaction"]["rate"] == "66.7"
    assert data["median_triage_hours"] == 5.0
    assert data["rankings"]["experts"][0]["mean_rating"] == "5.00"
    assert {row["amount"] for row in data["subsidies"]} == {"100.00", "0.00"}
    assert set(data) >= {"by_state", "by_category", "by_specialty", "by_township", "validity", "sla", "rankings"}


def test_the_api_refuses(march, api_for):
    url = "/api/v1/reports/assistance/"
    bad_period = api_for("county_admin").get(url, {"area": "340422000000", "period": "2020-Q7"})
    assert bad_period.status_code == 400 and "period" in bad_period.json()
    bad_code = api_for("county_admin").get(url, {"area": "34"})
    assert bad_code.status_code == 400 and "area" in bad_code.json()
    assert api_for("county_admin").get(url, {"area": "340421000000"}).status_code == 404
    assert api_for("county_admin").get(url, {"area": "999999999999"}).status_code == 404
    assert api_for("farmer").get(url).status_code == 403
