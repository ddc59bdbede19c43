"""`GET /api/v1/indicators/`: per role, per jurisdiction, its errors, and a query count flat in the counties."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.services import refresh_indicators

URL = "/api/v1/indicators/"


def get(api_for, persona: str, **params):
    return api_for(persona).get(URL, params)


def by_key(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    return {row["key"]: row for row in response.json()["results"]}


def test_a_county_admin_reads_their_county_live(world, data, api_for):
    response = get(
        api_for,
        "county_admin",
        area=world.county_a.code,
        period="2020",
        keys="assistance.demands_received,assistance.satisfaction,funds.spent",
    )
    rows = by_key(response)
    assert response.json()["area"] == {"code": world.county_a.code, "name": "寿县", "level": AreaLevel.COUNTY}
    assert response.json()["period"] == "2020"
    assert rows["assistance.demands_received"]["value"] == "3.00"
    assert rows["assistance.satisfaction"] == {
        "key": "assistance.satisfaction",
        "label": "Satisfaction",
        "unit": "percent",
        "unit_label": "%",
        "additive": False,
        "value": "50.00",
        "numerator": "1.00",
        "denominator": "2.00",
        "live": True,
        "refreshed_at": None,
    }
    assert rows["funds.spent"]["value"] == "287606.00"
    assert list(rows) == ["assistance.demands_received", "assistance.satisfaction", "funds.spent"]


def test_the_platform_admin_reads_the_province_from_the_stored_rows(world, data, api_for):
    refresh_indicators(2020)
    rows = by_key(get(api_for, "admin", area=world.province.code, period="2020-Q3", keys="assistance.demands_received"))
    assert rows["assistance.demands_received"]["value"] == "3.00"
    assert rows["assistance.demands_received"]["live"] is False
    assert rows["assistance.demands_received"]["refreshed_at"]


def test_without_keys_every_indicator_is_served(world, data, api_for):
    from sciaid.reports.indicators import REGISTRY

    rows = by_key(get(api_for, "supervisor", area=world.county_a.code, period="2020"))
    assert list(rows) == list(REGISTRY)


@pytest.mark.parametrize("persona", ["county_admin", "triage", "supervisor"])
def test_county_roles_read_their_county_but_not_the_other_nor_above(world, data, api_for, persona):
    assert get(api_for, persona, area=world.county_a.code, period="2020").status_code == 200
    assert get(api_for, persona, area=world.county_b.code, period="2020").status_code == 404
    assert get(api_for, persona, area=world.city.code, period="2020").status_code == 404
    assert get(api_for, persona, area=world.province.code, period="2020").status_code == 404


def test_the_other_county_reads_its_own_only(world, data, api_for):
    assert get(api_for, "county_admin_b", area=world.county_b.code).status_code == 200
    assert get(api_for, "county_admin_b", area=world.county_a.code).status_code == 404


@pytest.mark.parametrize("persona", ["farmer", "info_officer", "expert", "applicant", "buyer", "outsider"])
def test_roles_that_read_no_indicators_are_refused(world, data, api_for, persona):
    assert get(api_for, persona, area=world.county_a.code, period="2020").status_code == 403


def test_anonymous_requests_are_refused(world):
    from rest_framework.test import APIClient

    assert APIClient().get(URL, {"area": world.county_a.code}).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "area"),
        ({"area": "34042"}, "area"),
        ({"area": "COUNTY"}, "area"),
        ({"period": "2020-13"}, "period"),
        ({"period": "20x"}, "period"),
        ({"period": "2020-Q5"}, "period"),
        ({"keys": "assistance.demands_received,nope"}, "keys"),
        ({"period": "2020-07", "keys": "funds.spent"}, "period"),
    ],
)
def test_bad_requests_are_a_structured_400(world, data, api_for, params, field):
    params = {"area": world.county_a.code, **params} if "area" in params or field != "area" else params
    response = get(api_for, "county_admin", **params)
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert isinstance(response.json()[field], list)


def test_an_area_below_a_county_is_a_400_and_an_unknown_one_a_404(world, api_for):
    response = get(api_for, "county_admin", area=world.township_a1.code)
    assert response.status_code == 400
    assert "area" in response.json()
    assert get(api_for, "county_admin", area="349999000000").status_code == 404


def test_an_unknown_key_is_named_in_the_400(world, api_for):
    response = api_for("county_admin").get(
        URL, {"area": world.county_a.code, "keys": "nope"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert "nope" in response.json()["keys"][0]


def add_counties(world, count: int) -> None:
    """`count` more counties (each with a township and a poor village) in the city."""
    for index in range(count):
        code = f"3404{50 + index:02d}"
        county = Area.objects.create(code=f"{code}000000", level=AreaLevel.COUNTY, name=f"县{index}", parent=world.city)
        township = Area.objects.create(code=f"{code}101000", level=AreaLevel.TOWNSHIP, name=f"镇{index}", parent=county)
        Area.objects.create(
            code=f"{code}101201", level=AreaLevel.VILLAGE, name=f"村{index}", parent=township, is_poor=True
        )


def count_queries(client, params) -> int:
    """The queries of one request, after a first one has warmed what is cached per process (content types)."""
    assert client.get(URL, params).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


def test_the_province_costs_the_same_queries_whatever_the_number_of_counties(world, data, api_for):
    client = api_for("admin")
    params = {"area": world.province.code, "period": "2020"}
    refresh_indicators(2020)
    two = count_queries(client, params)
    add_counties(world, 10)
    refresh_indicators(2020)
    twelve = count_queries(client, params)
    assert two == twelve
    assert twelve <= 6


def test_a_county_read_live_costs_a_constant_number_of_queries(world, data, api_for):
    client = api_for("county_admin")
    params = {"area": world.county_a.code, "period": "2020"}
    before = count_queries(client, params)
    add_counties(world, 5)
    assert count_queries(client, params) == before
    assert before <= 35


def computing(captured) -> list[str]:
    """The queries that compute figures (the upsert is one statement per batch of rows, by design)."""
    return [query["sql"] for query in captured if not query["sql"].startswith("INSERT")]


def test_the_refresh_computes_with_the_same_queries_whatever_the_number_of_counties(world, data):
    refresh_indicators(2020)
    with CaptureQueriesContext(connection) as two:
        refresh_indicators(2020)
    add_counties(world, 10)
    with CaptureQueriesContext(connection) as twelve:
        refresh_indicators(2020)
    assert len(computing(two)) == len(computing(twelve))
