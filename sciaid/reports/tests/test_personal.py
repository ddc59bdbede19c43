"""The personal dashboards at /reports/: an expert's own work by month and an info officer's own villages, with the
numbers of the hand-computed 2020 (`conftest.py`) plus the assignments below; another expert's work and another
village are never shown; the xlsx downloads hold the same numbers; the query count does not grow with the demands.

Assignments added here (the `data` demands of county A):
- A-March (rated 5, resolved 2020-03-12): assigned to the `expert` persona on 2020-03-10, accepted after 2 h,
  resolved by them.
- A-July-1 (rated 3, resolved 2020-07-08): assigned to them on 2020-07-05, accepted after 4 h, resolved by them,
  escalated once (an SLA breach).
- A-July-2 (open): assigned to them on 2020-07-20, not answered yet.
- B-July: assigned to and resolved by another expert (commissioner #0): never theirs.
So the expert's 2020: March 1 assigned, 1 accepted (2.0 h), 1 resolved (satisfaction 100.0, SLA met 100.0); July
2 assigned, 1 accepted (4.0 h), 1 resolved (satisfaction 0.0, SLA met 0.0); the year 3, 2 (3.0 h), 2, 50.0, 50.0.
Knowledge: A-March's solution published on 2020-03-20 (theirs), A-July-1's pending, B-July's published (not theirs).

The info officer of village A1: 2020's demands A-March (closed, valid) and A-July-2 (open), both collected by them;
7 households helped (stored village figures); one training held there (the training samples' event of A1);
commissioner #0 paired with A1. Village A3 (A-July-1) and B1 belong to nobody of theirs.
"""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sciaid.assistance.choices import AssignmentStatus, KnowledgeStatus
from sciaid.assistance.models import Assignment, Demand, KnowledgeEntry
from sciaid.experts.models import Expert
from sciaid.reports.tests.conftest import at
from sciaid.training.tests.samples import event

URL = "/reports/"
ROW = re.compile(r'<tr data-row="(?P<label>[^"]+)">(?P<cells>.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(?P<text>[^<]*)</td>")


def table(response, name: str) -> dict[str, list[str]]:
    """{first cell: the other cells} of the table of section `name`."""
    assert response.status_code == 200, response.content[:500]
    page = response.content.decode()
    section = page.split(f'<section class="dashboard-section" id="{name}">', 1)[1].split("</section>", 1)[0]
    return {
        unescape(match["label"]): [unescape(cell["text"]) for cell in CELL.finditer(match["cells"])][1:]
        for match in ROW.finditer(section)
    }


def demand(village, day: str) -> Demand:
    return Demand.objects.get(village=village, submitted_at=at(day))


def assign(demand_, expert, assigned: str, *, answered: str | None = None, seconds: int | None = None):
    made = Assignment.objects.create(
        demand=demand_,
        expert=expert,
        assigned_by=demand_.requester,
        status=AssignmentStatus.ACCEPTED if answered else AssignmentStatus.PENDING,
        responded_at=at(answered) if answered else None,
        response_seconds=seconds,
    )
    Assignment.objects.filter(pk=made.pk).update(assigned_at=at(assigned))
    return made


@pytest.fixture
def work(world, data):
    """The assignments of the module docstring; returns the persona's Expert."""
    me = Expert.objects.create(
        user=world.users["expert"], name="Expert Me", organisation="Academy", home_area=world.county_a
    )
    other = data.experts[0]
    march, july_1 = demand(world.village_a1, "2020-03-10"), demand(world.village_a3, "2020-07-05")
    july_2, b_july = demand(world.village_a1, "2020-07-20"), demand(world.village_b1, "2020-07-01")
    assign(march, me, "2020-03-10", answered="2020-03-11", seconds=7200)
    assign(july_1, me, "2020-07-05", answered="2020-07-06", seconds=4 * 3600)
    assign(july_2, me, "2020-07-20")
    assign(b_july, other, "2020-07-01", answered="2020-07-01", seconds=60)
    Demand.objects.filter(pk=march.pk).update(resolved_by=me)
    Demand.objects.filter(pk=july_1.pk).update(resolved_by=me, escalation_level=1)
    Demand.objects.filter(pk=b_july.pk).update(resolved_by=other)
    for solved, status in ((march, KnowledgeStatus.PUBLISHED), (july_1, KnowledgeStatus.PENDING)):
        knowledge(solved, status)
    knowledge(b_july, KnowledgeStatus.PUBLISHED)
    return me


def knowledge(solved: Demand, status: str) -> KnowledgeEntry:
    return KnowledgeEntry.objects.create(
        demand=solved,
        village=solved.village,
        specialty=solved.specialty,
        title=f"Solution of {solved.title}",
        body="Change the water",
        status=status,
        published_at=at("2020-03-20") if status == KnowledgeStatus.PUBLISHED else None,
    )


def test_an_expert_sees_their_own_work_by_month(world, work, client_for):
    rows = table(client_for("expert").get(URL, {"year": 2020}), "work")
    # Month, then: assigned, accepted, mean response (h), resolved, satisfaction (%), SLA met (%), knowledge
    # published (A-March's solution; A-July-1's is not published yet).
    assert rows["2020-03"] == ["1", "1", "2.0", "1", "100.0", "100.0", "1"]
    assert rows["2020-07"] == ["2", "1", "4.0", "1", "0.0", "0.0", "0"]
    assert rows["2020-01"] == ["0", "0", "—", "0", "—", "—", "0"]
    assert list(rows.values())[-1] == ["3", "2", "3.0", "2", "50.0", "50.0", "1"]  # the year's total


def test_an_expert_never_sees_another_experts_work(world, work, data, client_for):
    # Commissioner #0's own page shows B-July only; the persona's page counted none of it (above).
    other = data.experts[0].user
    world.users["other_expert"] = other
    from sciaid.accounts.models import RoleGrant
    from sciaid.core.roles import Role

    RoleGrant.objects.create(user=other, role=Role.EXPERT, area=world.county_b)
    rows = table(client_for("other_expert").get(URL, {"year": 2020}), "work")
    assert list(rows.values())[-1][:2] == ["1", "1"]
    assert rows["2020-07"][:4] == ["1", "1", "0.0", "1"]
    assert rows["2020-03"] == ["0", "0", "—", "0", "—", "—", "1"]  # B-July's solution, published in March


def test_an_info_officer_sees_their_villages_only(world, data, client_for):
    event(world, "a")
    event(world, "b")
    response = client_for("info_officer").get(URL, {"year": 2020})
    demands = table(response, "villages")
    # Village, then: received, collected by you, open, served, merged or rejected, valid.
    assert demands == {world.village_a1.name: ["2", "2", "1", "1", "0", "1"]}
    work = table(response, "village_work")
    assert list(work) == [world.village_a1.name]
    households, trainings, commissioners = work[world.village_a1.name]
    assert (households, trainings) == ("7", "1")
    assert commissioners == data.experts[0].name
    page = response.content.decode()
    for name in (world.village_a3.name, world.village_b1.name, data.experts[1].name):
        assert name not in page
    rows_b = table(client_for("info_officer_b").get(URL, {"year": 2020}), "villages")
    assert rows_b == {world.village_b1.name: ["1", "1", "0", "1", "0", "1"]}


def test_personal_tables_download_as_xlsx(world, work, data, client_for):
    response = client_for("expert").get(URL, {"year": 2020, "table": "work", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 14
    assert rows[7] == ("2020-07", "2", "1", "4.0", "1", "0.0", "0.0", "0")
    response = client_for("info_officer").get(URL, {"year": 2020, "table": "village_work", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == (world.village_a1.name, "7", "0")
    # The county tables are not theirs to download.
    assert client_for("expert").get(URL, {"year": 2020, "table": "funds", "export": "xlsx"}).status_code == 404


def test_personal_pages_ignore_an_area_and_refuse_bad_years(world, work, client_for):
    client = client_for("expert")
    response = client.get(URL, {"year": 2020, "area": world.county_b.code})
    assert list(table(response, "work").values())[-1][0] == "3"
    response = client.get(URL, {"year": "20x"})
    assert response.status_code == 200 and response.context["figures"] is None


def test_the_home_page_shows_their_four_figures(world, work, data, client_for):
    page = client_for("expert").get("/").content.decode()
    assert "/reports/?year=2020" in page
    from sciaid.reports.home import personal_section

    items = personal_section(world.users["expert"])[0]["items"]
    assert [item["count"] for item in items[:4]] == ["3", "2", "50.0 %", "50.0 %"]
    items = personal_section(world.users["info_officer"])[0]["items"]
    assert [item["count"] for item in items[:4]] == ["2", "1", "7", "0"]


def count_queries(client, params) -> int:
    client.get(URL, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params).status_code == 200
    return len(captured)


def test_personal_pages_cost_the_same_queries_whatever_the_number_of_demands(world, work, client_for):
    expert, officer = client_for("expert"), client_for("info_officer")
    before = count_queries(expert, {"year": 2020}), count_queries(officer, {"year": 2020})
    template = demand(world.village_a1, "2020-03-10")
    for day in range(1, 11):
        extra = Demand.objects.create(
            title=f"Extra {day}",
            description="x",
            specialty=template.specialty,
            village=world.village_a1,
            requester=world.info_officer,
            requester_role=template.requester_role,
            status="closed",
            rating=4,
            resolved_at=at(f"2020-05-{day:02d}"),
            resolved_by=work,
        )
        assign(extra, work, f"2020-05-{day:02d}", answered=f"2020-05-{day:02d}", seconds=600)
    after = count_queries(expert, {"year": 2020}), count_queries(officer, {"year": 2020})
    assert after == before
    print("personal dashboard queries (expert, info officer):", before)
