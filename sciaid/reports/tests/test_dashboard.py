"""The dashboard at /reports/ and the figures on the home page: the numbers rendered are the indicator values of
the hand-computed 2020 (`conftest.py`), per role and jurisdiction; the xlsx downloads hold them; the query count is
flat in the number of counties."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sciaid.assistance.statistics import parse_period
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.reports.services import indicator_values, refresh_indicators
from sciaid.reports.tests.conftest import DemandFactory
from sciaid.reports.tests.test_api import add_counties
from sciaid.reports.views.tables import RANK_SHOWN, SECTIONS, display

URL = "/reports/"
ROW = re.compile(r'<tr data-key="(?P<key>[^"]+)">.*?<td[^>]*class="num">(?P<value>[^<]*)</td>', re.S)
COUNTY_ROW = re.compile(r'<tr data-county="(?P<code>\d+)"><td[^>]*>(?P<rank>\d+)</td>', re.S)


def rendered(response) -> dict[str, str]:
    """{indicator key: the value shown} of the section tables."""
    assert response.status_code == 200, response.content[:500]
    return {match["key"]: unescape(match["value"]) for match in ROW.finditer(response.content.decode())}


def expected(user, area, period: str, keys) -> dict[str, str]:
    return {
        result.indicator.key: display(result.value, result.indicator.unit)
        for result in indicator_values(user, area, parse_period(period), keys)
    }


def every_key(monthly: bool | None = None) -> list[str]:
    return [key for section in SECTIONS if monthly is None or section.monthly == monthly for key in section.keys]


def test_a_county_admin_sees_the_indicator_values_of_their_county(world, data, client_for):
    shown = rendered(client_for("county_admin").get(URL, {"year": 2020}))
    assert shown == expected(world.county_admin, world.county_a, "2020", every_key())
    # Written out by hand (conftest.py): the funnel, the SLA, coverage, appraisals, funds, projects, quotas.
    assert shown["assistance.demands_received"] == "3"
    assert shown["assistance.demands_valid"] == "1"
    assert shown["assistance.demands_resolved"] == "2"
    assert shown["assistance.sla_met_rate"] == "66.7"
    assert shown["assistance.satisfaction"] == "50.0"
    assert shown["commissioners.coverage_rate"] == "100.0"
    assert shown["commissioners.excellent"] == "1"
    assert shown["funds.spent"] == "287,606.00"
    assert shown["funds.execution_rate"] == "95.9"
    assert shown["projects.stage_in_progress"] == "1"


def test_a_month_narrows_the_monthly_sections_only(world, data, client_for):
    shown = rendered(client_for("county_admin").get(URL, {"year": 2020, "month": 7}))
    assert {key: shown[key] for key in every_key(monthly=True)} == expected(
        world.county_admin, world.county_a, "2020-07", every_key(monthly=True)
    )
    assert shown["assistance.demands_received"] == "2"
    assert shown["funds.spent"] == "287,606.00"


def test_the_province_shows_the_stored_sums_its_counties_ranked_and_the_trend(world, data, client_for):
    refresh_indicators(2020)
    admin = world.users["admin"]
    response = client_for("admin").get(URL, {"area": world.province.code, "year": 2020})
    shown = rendered(response)
    assert shown == expected(admin, world.province, "2020", every_key())
    assert shown["assistance.demands_received"] == "4"
    assert shown["funds.spent"] == "288,606.00"
    page = response.content.decode()
    # Ranked by SLA met: county B (100.0) before county A (66.7).
    assert [(m["code"], m["rank"]) for m in COUNTY_ROW.finditer(page)] == [
        (world.county_b.code, "1"),
        (world.county_a.code, "2"),
    ]
    trend = response.context["figures"]["trend"]["rows"]
    assert [row["cells"][0]["text"] for row in trend] == ["0", "0", "1", "0", "0", "0", "3"] + ["0"] * 5
    assert 'src="/static/vendor/echarts-6.1.0.simple.min.js"' in page


def test_the_ranking_follows_the_chosen_indicator(world, data, client_for):
    refresh_indicators(2020)
    response = client_for("admin").get(
        URL, {"area": world.province.code, "year": 2020, "rank": "assistance.demands_received"}
    )
    codes = [m["code"] for m in COUNTY_ROW.finditer(response.content.decode())]
    assert codes == [world.county_a.code, world.county_b.code]
    # The download is of the same ranking.
    assert "rank=assistance.demands_received&amp;table=ranking&amp;export=xlsx" in response.content.decode()


@pytest.mark.parametrize("persona", ["county_admin", "triage", "supervisor"])
def test_county_roles_see_their_county_only(world, data, client_for, persona):
    client = client_for(persona)
    assert client.get(URL, {"area": world.county_a.code, "year": 2020}).status_code == 200
    for area in (world.county_b, world.city, world.province):
        assert client.get(URL, {"area": area.code, "year": 2020}).status_code == 404


@pytest.mark.parametrize("persona", ["farmer", "buyer", "outsider"])
def test_roles_that_read_no_indicators_are_refused(world, client_for, persona):
    assert client_for(persona).get(URL).status_code == 403


def test_bad_input_is_shown_on_the_form(world, data, client_for):
    client = client_for("county_admin")
    for params in ({"year": "20x"}, {"year": 2020, "month": 13}, {"area": "12"}, {"area": world.village_a1.code}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert response.context["figures"] is None
        assert response.context["form"].errors


def test_each_table_downloads_as_xlsx_with_its_numbers(world, data, client_for):
    refresh_indicators(2020)
    client = client_for("admin")
    response = client.get(URL, {"area": world.county_a.code, "year": 2020, "table": "funds", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 6
    assert rows[3][1:] == ("287606.00", "元")
    response = client.get(URL, {"area": world.province.code, "year": 2020, "table": "ranking", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[:3] for row in rows[1:]] == [("1", "凤台县", "1"), ("2", "寿县", "3")]
    response = client.get(URL, {"area": world.province.code, "year": 2020, "table": "trend", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[7][:2] == ("2020-07", "3")
    assert client.get(URL, {"year": 2020, "table": "nothing", "export": "xlsx"}).status_code == 404
    assert client.get(URL, {"year": 2020, "table": "funds", "export": "pdf"}).status_code == 404


def count_queries(client, params, cached: bool = False) -> int:
    """The queries of one request once the process is warm; with `cached`, of a request served from the cache of
    rendered figures (a province or a city), else of one that computes them."""
    client.get(URL, params)
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


def test_the_province_dashboard_costs_the_same_queries_whatever_the_number_of_counties(world, data, client_for):
    refresh_indicators(2020)
    client = client_for("admin")
    params = {"area": world.province.code, "year": 2020}
    two, two_cached = count_queries(client, params), count_queries(client, params, cached=True)
    add_counties(world, 10)
    refresh_indicators(2020)
    assert count_queries(client, params) == two
    assert count_queries(client, params, cached=True) == two_cached
    assert two == 16, "the trend of twelve months is one query; the rest is a handful"
    assert two_cached == 10, "session, grants, form, the latest refresh, menu: none of the figures"
    print(f"province dashboard: {two} queries, {two_cached} from the cache")


def test_a_cached_province_dashboard_shows_the_figures_of_the_latest_refresh(world, data, client_for):
    refresh_indicators(2020)
    client = client_for("admin")
    params = {"area": world.province.code, "year": 2020}
    first = client.get(URL, params)
    assert rendered(first)["assistance.demands_received"] == "4"
    assert rendered(client.get(URL, params))["assistance.demands_received"] == "4"
    DemandFactory(village=world.village_b1, requester=world.info_officer_b, submitted="2020-03-02")
    # Until the refresh the stored figures (and the page) stay; the refresh changes the cache key.
    assert rendered(client.get(URL, params))["assistance.demands_received"] == "4"
    refresh_indicators(2020, [world.county_b])
    assert rendered(client.get(URL, params))["assistance.demands_received"] == "5"
    # Another language is another rendering, never the cached Chinese one.
    assert "Demand funnel" not in first.content.decode()
    assert "Demand funnel" in client.get("/en" + URL, params).content.decode()


def test_the_ranking_of_many_counties_shows_both_ends_and_links_every_county(world, data, client_for):
    add_counties(world, 25)
    refresh_indicators(2020)
    client = client_for("admin")
    params = {"area": world.province.code, "year": 2020, "rank": "assistance.demands_received"}
    page = client.get(URL, params).content.decode()
    codes = [m["code"] for m in COUNTY_ROW.finditer(page)]
    assert len(codes) == 2 * RANK_SHOWN
    assert codes[:2] == [world.county_a.code, world.county_b.code], "4 demands in A, 1 in B, none elsewhere"
    assert "counties=all#ranking" in page and 'class="gap"' in page
    every = client.get(URL, {**params, "counties": "all"}).content.decode()
    assert len(list(COUNTY_ROW.finditer(every))) == 27 and 'class="gap"' not in every
    response = client.get(URL, {**params, "table": "ranking", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 27, "the download holds every county"


def test_a_county_sees_the_coverage_of_its_poor_villages_by_township(world, data, client_for):
    Area.objects.create(
        code="340422106202", level=AreaLevel.VILLAGE, name="新村", parent=world.township_a2, is_poor=True
    )
    client = client_for("county_admin")
    response = client.get(URL, {"year": 2020})
    table = response.context["figures"]["townships"]
    assert table["rows"] == [["隐贤镇", "1", "1", "0", "100.0"], ["安丰镇", "2", "1", "1", "50.0"]]
    assert table["chart"]["series"][0]["values"] == [1, 1] and table["chart"]["series"][1]["values"] == [0, 1]
    assert rendered(response)["commissioners.poor_villages_covered"] == "2"
    export = client.get(URL, {"year": 2020, "table": "townships", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1:] == [("隐贤镇", "1", "1", "0", "100.0"), ("安丰镇", "2", "1", "1", "50.0")]


@pytest.mark.parametrize("month", [None, 7])
def test_the_county_dashboard_costs_the_same_queries_whatever_the_number_of_counties(world, data, client_for, month):
    client = client_for("county_admin")
    params = {"area": world.county_a.code, "year": 2020, **({"month": month} if month else {})}
    before = count_queries(client, params)
    add_counties(world, 5)
    assert count_queries(client, params) == before
    assert before <= 32
    print(f"county dashboard (month {month}): {before} queries")


def test_the_home_page_shows_a_county_admin_their_figures_and_the_dashboard(world, data, client_for):
    response = client_for("county_admin").get("/")
    figures = next(section for section in response.context["sections"] if section["items"][0].get("key"))
    shown = {item["key"]: item["count"] for item in figures["items"] if item.get("key")}
    assert shown["assistance.sla_met_rate"] == "66.7 %"
    assert shown["commissioners.coverage_rate"] == "100.0 %"
    assert shown["funds.execution_rate"] == "95.9 %"
    assert shown["assistance.demands_received"] == "3"
    assert f'href="/reports/?area={world.county_a.code}&amp;year=2020"' in response.content.decode()
    assert 'href="/reports/"' in response.content.decode()  # the menu entry


def test_the_home_page_of_a_farmer_has_no_figures_nor_dashboard(world, client_for):
    page = client_for("farmer").get("/").content.decode()
    assert 'href="/reports/' not in page


def test_the_home_page_of_an_info_officer_links_their_own_dashboard(world, client_for):
    # Their own villages' figures (sciaid/reports/tests/test_personal.py), not the county's.
    page = client_for("info_officer").get("/").content.decode()
    assert 'href="/reports/?year=' in page
    assert 'href="/reports/?area=' not in page
