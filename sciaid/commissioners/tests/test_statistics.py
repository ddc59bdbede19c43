"""Coverage, progress, alerts and the yearly statistics, against figures computed by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sciaid.commissioners.agreements import services as agreements
from sciaid.commissioners.appraisals import services as appraisals
from sciaid.commissioners.appraisals.choices import Rating
from sciaid.commissioners.logs import services as logs
from sciaid.commissioners.logs.choices import ServiceKind
from sciaid.commissioners.statistics import services as statistics
from sciaid.commissioners.teams import services as teams
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.experts.models import Pairing
from sciaid.regions.models import Household


def confirmed(user, village, confirmer, **fields):
    defaults = {"kind": ServiceKind.TRAINING, "served_on": on(3), "summary": "培训", "participants": 10}
    entry = logs.log_service(user, village=village, **{**defaults, **fields})
    logs.confirm_log(confirmer, entry)
    return entry


def test_coverage_counts_poor_villages_per_township(world, make_commissioner):
    # County A has poor villages A1 (township A1) and A3 (township A2); A2 is not poor.
    report = statistics.coverage(world.areas["county_a"], YEAR)
    assert (report["total"], report["covered"], report["rate"]) == (2, 0, Decimal("0.0"))
    make_commissioner("li", villages=["village_a1", "village_a2"])
    report = statistics.coverage(world.areas["county_a"], YEAR)
    assert (report["total"], report["covered"], report["uncovered_count"]) == (2, 1, 1)
    assert report["uncovered"] == [world.areas["village_a3"]]
    by_township = {row["area"].name: (row["covered"], row["total"]) for row in report["groups"]}
    assert by_township == {"隐贤镇": (1, 1), "安丰镇": (0, 1)}
    assert statistics.coverage(world.areas["county_a"], YEAR + 1)["covered"] == 0


def test_a_team_covers_its_villages(world, make_commissioner):
    people = [make_commissioner(f"t{i}", villages=()) for i in range(3)]
    teams.save_team(
        world.users["county_admin"],
        county=world.areas["county_a"],
        year=YEAR,
        name="团队",
        leader=people[0],
        members=people[1:],
        villages=[world.areas["village_a3"]],
    )
    assert statistics.coverage(world.areas["county_a"], YEAR)["covered"] == 1


def test_the_province_is_broken_down_by_county(world, make_commissioner):
    make_commissioner("li", villages=["village_a1"])
    report = statistics.coverage(world.areas["province"], YEAR)
    assert [(row["area"].name, row["covered"], row["total"]) for row in report["groups"]] == [
        ("凤台县", 0, 1),
        ("寿县", 1, 2),
    ]


def test_households_count_once_across_logs(world, commissioner):
    user, village, officer = world.users["expert"], world.areas["village_a1"], world.users["info_officer"]
    household = world.households["household_a1"]
    other = Household.objects.create(number="X2", village=village, head_name="户主X", members=2)
    confirmed(user, village, officer, households=[household], other_households=1)
    confirmed(user, village, officer, households=[household, other], kind=ServiceKind.GUIDANCE)
    confirmed(user, village, officer, households=[household])
    figures = statistics.commissioner_statistics(world.areas["county_a"], YEAR)["totals"]
    assert figures["households"] == 2 + 1


@pytest.fixture
def county_year(world, make_commissioner):
    """Two commissioners in county A (one province-level), one in county B; logs in several states."""
    li = make_commissioner("li", villages=["village_a1", "village_a2"])
    wang = make_commissioner("wang", villages=["village_a1"], level_area="province")
    zhao = make_commissioner("zhao", villages=["village_b1"], home="county_b")
    a1, a2, b1 = (world.areas[k] for k in ("village_a1", "village_a2", "village_b1"))
    admin = world.users["county_admin"]
    h1 = world.households["household_a1"]
    confirmed(li.user, a1, admin, participants=30, households=[h1], varieties="稻虾1号\n", other_households=2)
    confirmed(li.user, a2, admin, participants=12, techniques="绿色防控\n测土配方\n")
    confirmed(wang.user, a1, admin, kind=ServiceKind.GUIDANCE, participants=3, households=[h1])
    confirmed(wang.user, a1, admin, served_on=on(12, 30), participants=5)
    logs.log_service(
        wang.user, village=a1, kind=ServiceKind.TRAINING, served_on=on(5), summary="未确认", participants=99
    )
    confirmed(zhao.user, b1, world.users["county_admin_b"], participants=50)
    return li, wang, zhao


def test_statistics_of_a_hand_built_county(world, county_year):
    report = statistics.commissioner_statistics(world.areas["county_a"], YEAR)
    totals = report["totals"]
    # Trainings: li's two, wang's Dec one (the unconfirmed one and the guidance do not count).
    assert totals == {
        **totals,
        "commissioners": 2,
        "poor_villages": 2,
        "covered": 1,
        "coverage_rate": Decimal("50.0"),
        "services": 4,
        "trainings": 3,
        "trainees": 30 + 12 + 5,
        "varieties": 1,
        "techniques": 2,
        "households": 1 + 2,
    }
    assert {row["level"]: row["count"] for row in report["levels"]} == {"province": 1, "city": 0, "county": 1}
    township = {row["area"].name: row for row in report["groups"]}
    assert township["隐贤镇"]["trainings"] == 3 and township["隐贤镇"]["commissioners"] == 2
    assert township["安丰镇"]["services"] == 0
    other = statistics.commissioner_statistics(world.areas["county_b"], YEAR)["totals"]
    assert (other["commissioners"], other["trainees"]) == (1, 50)


def test_statistics_count_the_published_appraisal_ratings(world, county_year, client_for, api_for, english):
    li, wang, zhao = county_year
    published = appraisals.save_appraisal_rubric(world.users["county_admin"], county=world.areas["county_a"], year=YEAR)
    appraisals.compute_appraisal(world.users["county_admin"], published)
    published.sheets.filter(expert=li).update(rating=Rating.EXCELLENT)
    published.sheets.filter(expert=wang).update(rating=Rating.UNQUALIFIED)
    appraisals.review_appraisal(world.users["county_admin"], published)
    appraisals.publish_appraisal(world.users["county_admin"], published)
    # County B's sheets are computed but not published: they do not count.
    computed = appraisals.save_appraisal_rubric(
        world.users["county_admin_b"], county=world.areas["county_b"], year=YEAR
    )
    appraisals.compute_appraisal(world.users["county_admin_b"], computed)
    assert computed.sheets.filter(expert=zhao).exists()

    def counts(area: str, year: int = YEAR) -> dict:
        rows = statistics.commissioner_statistics(world.areas[area], year)["appraisal"]
        return {row["rating"]: row["count"] for row in rows}

    assert counts("county_a") == {"excellent": 1, "qualified": 0, "unqualified": 1}
    assert counts("county_b") == {"excellent": 0, "qualified": 0, "unqualified": 0}
    assert counts("province") == counts("county_a")
    assert counts("county_a", YEAR + 1) == {"excellent": 0, "qualified": 0, "unqualified": 0}
    body = api_for("county_admin").get(reverse("report-commissioners"), {"area": "340422000000", "year": YEAR}).json()
    assert [(row["rating"], row["count"]) for row in body["appraisal"]] == [
        ("excellent", 1),
        ("qualified", 0),
        ("unqualified", 1),
    ]
    page = client_for("county_admin").get(reverse("commissioners:statistics"), {"year": YEAR})
    table = page.content.decode().split('id="appraisal-table"')[1].split("</table>")[0]
    assert '<td>Excellent</td><td class="num">1</td>' in table
    export = client_for("county_admin").get(reverse("commissioners:statistics"), {"year": YEAR, "export": "csv"})
    assert "Excellent,1" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_statistics_take_a_constant_number_of_queries(world, county_year, django_assert_max_num_queries):
    # Nine queries for the figures, three for the training events' figures, one for the appraisal ratings.
    with django_assert_max_num_queries(13):
        statistics.commissioner_statistics(world.areas["county_a"], YEAR)


def test_agreement_progress_and_mid_year_alert(world, commissioner):
    admin, village = world.users["county_admin"], world.areas["village_a1"]
    pairing = Pairing.objects.get(expert=commissioner)
    agreement = agreements.save_agreement(
        admin, pairing=pairing, starts_on=on(1), ends_on=on(12, 31), target_trainings=4, target_households=2
    )
    agreements.sign_agreement(admin, agreement, signed_on=on(1, 2))
    confirmed(world.users["expert"], village, admin, households=[world.households["household_a1"]])
    targets = {t.key: (t.actual, t.target) for t in statistics.progress([agreement])[agreement.pk]}
    assert targets["trainings"] == (1, 4) and targets["households"] == (1, 2)
    assert statistics.behind_target(world.areas["county_a"], YEAR, on(3)) == []
    rows = statistics.behind_target(world.areas["county_a"], YEAR, on(7, 15))
    assert [t.key for t in rows[0]["lagging"]] == ["trainings"]


def test_idle_commissioners(world, make_commissioner):
    li = make_commissioner("li", villages=["village_a1"])
    make_commissioner("wang", villages=["village_a1"])
    confirmed(li.user, world.areas["village_a1"], world.users["county_admin"], served_on=on(6, 1))
    county = world.areas["county_a"]
    assert [row["expert"].name for row in statistics.idle_commissioners(county, YEAR, on(6, 20), days=30)] == ["wang"]
    rows = statistics.idle_commissioners(county, YEAR, on(8, 1), days=30)
    assert [(row["expert"].name, row["days"]) for row in rows] == [("wang", None), ("li", 61)]
