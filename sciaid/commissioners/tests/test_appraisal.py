"""The yearly commissioner appraisal: a configurable rubric, computed sheets, ratings by thresholds with and without
a quota for excellent, review and publication, and each commissioner's own sheet."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from sciaid.assistance.choices import DemandStatus
from sciaid.assistance.models import Demand
from sciaid.commissioners.appraisals import services as appraisals
from sciaid.commissioners.appraisals.choices import Rating, RoundStatus
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.models import Appraisal, AppraisalRubric, ServiceLog, Team, TeamMember
from sciaid.commissioners.statistics import services as statistics
from sciaid.commissioners.tests.conftest import YEAR, on
from sciaid.core.roles import Role
from sciaid.core.states import TransitionRefused
from sciaid.experts.models import Pairing, Specialty

pytestmark = pytest.mark.django_db


def logs(expert, village, n: int, status=LogStatus.CONFIRMED, year: int = YEAR):
    ServiceLog.objects.bulk_create(
        ServiceLog(
            expert=expert,
            village=village,
            kind=ServiceKind.GUIDANCE,
            served_on=on(3, 1 + i).replace(year=year),
            summary="现场指导",
            status=status,
        )
        for i in range(n)
    )


def served(world, expert, rating, satisfied=None, village="village_a1"):
    """A closed demand the commissioner resolved in YEAR, rated, and called back when `satisfied` is given."""
    Demand.objects.create(
        title="河蟹死亡",
        description="七月死蟹",
        specialty=Specialty.objects.get(code="river-crabs"),
        village=world.areas[village],
        requester=world.info_officer,
        requester_role=Role.INFO_OFFICER,
        status=DemandStatus.CLOSED,
        resolved_by=expert,
        resolved_at=timezone.make_aware(datetime(YEAR, 6, 1, 10)),
        rating=rating,
        called_at=None if satisfied is None else timezone.make_aware(datetime(YEAR, 6, 3, 10)),
        callback_satisfied=satisfied,
    )


@pytest.fixture
def county_year(world, make_commissioner):
    """li: 2 villages, 12 confirmed services, demands rated 5 and 4 with one of two call-backs satisfied;
    wang: 1 village, 6 confirmed services (and an unconfirmed one), no demand; zhao: 1 village, nothing but one
    demand rated 3."""
    li = make_commissioner("li", villages=["village_a1", "village_a2"])
    wang = make_commissioner("wang", villages=["village_a3"])
    zhao = make_commissioner("zhao", villages=["village_a1"])
    logs(li, world.village_a1, 12)
    logs(li, world.village_a1, 5, year=YEAR - 1)
    logs(wang, world.village_a3, 6)
    logs(wang, world.village_a3, 1, status=LogStatus.SUBMITTED)
    served(world, li, 5, satisfied=True)
    served(world, li, 4, satisfied=False)
    served(world, zhao, 3)
    return {"li": li, "wang": wang, "zhao": zhao}


def rubric_for(world, **fields):
    return appraisals.save_appraisal_rubric(world.county_admin, county=world.county_a, year=YEAR, **fields)


def scored(world, rubric, scores):
    appraisals.compute_appraisal(world.county_admin, rubric)
    for name, (opinion, manual) in scores.items():
        sheet = rubric.sheets.get(expert__name=name)
        appraisals.score_appraisal(
            world.county_admin, sheet, opinion_score=Decimal(opinion), manual_score=Decimal(manual)
        )
    return {sheet.expert.name: sheet for sheet in rubric.sheets.select_related("expert")}


SCORES = {"li": (90, 90), "wang": (95, 95), "zhao": (50, 50)}


def test_computing_reads_the_years_figures(world, county_year):
    rubric = rubric_for(world)
    appraisals.compute_appraisal(world.county_admin, rubric)
    sheets = {sheet.expert.name: sheet for sheet in rubric.sheets.select_related("expert")}
    li, wang, zhao = sheets["li"], sheets["wang"], sheets["zhao"]
    assert (li.villages, li.services, li.volume_score) == (2, 12, Decimal("100.00"))
    assert (li.demands_served, li.mean_rating, li.callbacks, li.satisfied_callbacks) == (2, Decimal("4.50"), 2, 1)
    # Rating 4.5/5 → 90, one of two call-backs satisfied → 50: effect 70.
    assert li.effect_score == Decimal("70.00")
    assert (wang.services, wang.volume_score, wang.demands_served) == (6, Decimal("50.00"), 0)
    assert (zhao.services, zhao.effect_score) == (0, Decimal("60.00"))
    rubric.refresh_from_db()
    assert rubric.status == RoundStatus.COMPUTED


def test_a_teams_log_counts_for_each_member(world, county_year):
    li, wang = county_year["li"], county_year["wang"]
    team = Team.objects.create(county=world.county_a, year=YEAR, name="河蟹服务队", leader=li)
    TeamMember.objects.bulk_create([TeamMember(team=team, expert=li), TeamMember(team=team, expert=wang)])
    ServiceLog.objects.create(
        expert=li,
        team=team,
        village=world.village_a1,
        kind=ServiceKind.TRAINING,
        served_on=on(5),
        summary="培训",
        status=LogStatus.CONFIRMED,
    )
    counts = appraisals.service_volume(world.county_a, YEAR, [li.pk, wang.pk])
    assert counts == {li.pk: 13, wang.pk: 7}


def test_totals_and_ratings_by_thresholds_without_quota(world, county_year):
    sheets = scored(world, rubric_for(world), SCORES)
    # li: (40×100 + 20×70 + 20×90 + 20×90) / 100; wang served no demand: (40×50 + 20×95 + 20×95) / 80.
    assert sheets["li"].total == Decimal("90.00")
    assert sheets["wang"].total == Decimal("72.50")
    assert sheets["zhao"].total == Decimal("32.00")
    assert [(s.rank, s.rating) for s in (sheets["li"], sheets["wang"], sheets["zhao"])] == [
        (1, Rating.EXCELLENT),
        (2, Rating.QUALIFIED),
        (3, Rating.UNQUALIFIED),
    ]


def test_without_quota_everyone_above_the_threshold_is_excellent(world, county_year):
    sheets = scored(world, rubric_for(world, excellent_from=Decimal("70")), SCORES)
    assert [sheets[name].rating for name in ("li", "wang")] == [Rating.EXCELLENT, Rating.EXCELLENT]


def test_the_quota_caps_excellent_to_the_best_totals(world, county_year):
    rubric = rubric_for(world, excellent_from=Decimal("70"), excellent_quota=50)
    sheets = scored(world, rubric, SCORES)
    # 50% of 3 commissioners is 1 (rounded down): wang is above the threshold but qualified.
    assert [sheets[name].rating for name in ("li", "wang", "zhao")] == [
        Rating.EXCELLENT,
        Rating.QUALIFIED,
        Rating.UNQUALIFIED,
    ]


def test_changing_the_rubric_rerates_a_computed_appraisal(world, county_year):
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    rubric_for(world, excellent_from=Decimal("70"))
    assert rubric.sheets.get(expert__name="wang").rating == Rating.EXCELLENT


def test_recomputing_keeps_entered_scores_and_drops_unpaired(world, county_year):
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    Pairing.objects.filter(expert=county_year["zhao"]).delete()
    appraisals.compute_appraisal(world.county_admin, rubric)
    assert set(rubric.sheets.values_list("expert__name", flat=True)) == {"li", "wang"}
    assert rubric.sheets.get(expert__name="li").manual_score == Decimal("90.00")


def test_weights_must_add_up_to_100(world):
    with pytest.raises(ValidationError):
        rubric_for(world, weight_volume=50)


def test_thresholds_must_be_in_order(world):
    with pytest.raises(ValidationError):
        rubric_for(world, qualified_from=Decimal("90"))


def test_scores_are_entered_only_between_computing_and_review(world, county_year):
    rubric = rubric_for(world)
    appraisals.compute_appraisal(world.county_admin, rubric)
    sheet = rubric.sheets.first()
    appraisals.review_appraisal(world.county_admin, rubric)
    with pytest.raises(TransitionRefused):
        appraisals.score_appraisal(world.county_admin, sheet, opinion_score=Decimal(1), manual_score=Decimal(1))
    with pytest.raises(ValidationError):
        rubric_for(world, excellent_quota=10)
    appraisals.reopen_appraisal(world.county_admin, rubric)
    appraisals.score_appraisal(world.county_admin, sheet, opinion_score=Decimal(1), manual_score=Decimal(1))


def test_another_county_may_not_score(world, county_year):
    rubric = rubric_for(world)
    appraisals.compute_appraisal(world.county_admin, rubric)
    with pytest.raises(PermissionDenied):
        appraisals.score_appraisal(
            world.county_admin_b, rubric.sheets.first(), opinion_score=Decimal(1), manual_score=Decimal(1)
        )
    with pytest.raises(TransitionRefused):
        appraisals.compute_appraisal(world.county_admin_b, rubric)


def test_publication_needs_review_and_shows_each_commissioner_their_own_sheet(world, county_year):
    li_user = county_year["li"].user
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    with pytest.raises(TransitionRefused):
        appraisals.publish_appraisal(world.county_admin, rubric)
    assert not Appraisal.objects.for_user(li_user).exists()
    appraisals.review_appraisal(world.county_admin, rubric)
    appraisals.publish_appraisal(world.county_admin, rubric)
    assert list(Appraisal.objects.for_user(li_user).values_list("expert__name", flat=True)) == ["li"]
    assert li_user.notifications.filter(kind="appraisal.published").exists()
    assert statistics.appraisal_distribution(world.county_a, YEAR) == {
        "excellent": 1,
        "qualified": 1,
        "unqualified": 1,
    }
    assert statistics.appraisal_distribution(world.city, YEAR)["excellent"] == 1
    assert statistics.appraisal_distribution(world.county_b, YEAR) == {"excellent": 0, "qualified": 0, "unqualified": 0}


def test_publication_notifies_each_commissioner_in_their_own_language(world, county_year):
    li_user, wang_user = county_year["li"].user, county_year["wang"].user
    li_user.language = "en"
    li_user.save(update_fields=["language"])
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    appraisals.review_appraisal(world.county_admin, rubric)
    with translation.override("en"):
        appraisals.publish_appraisal(world.county_admin, rubric)
    titles = {user: user.notifications.get(kind="appraisal.published").title for user in (li_user, wang_user)}
    assert titles == {
        li_user: f"Your {YEAR} appraisal is published.",
        wang_user: f"您的{YEAR}年度绩效考核结果已公布。",
    }


# --- API and pages -------------------------------------------------------------------------------------------------


def test_api_lists_sheets_and_takes_scores(world, county_year, api_for):
    rubric = rubric_for(world)
    appraisals.compute_appraisal(world.county_admin, rubric)
    client = api_for("county_admin")
    listed = client.get(reverse("appraisal-list"), {"year": YEAR}).json()["results"]
    assert {row["expert_name"] for row in listed} == {"li", "wang", "zhao"}
    sheet = rubric.sheets.get(expert__name="li")
    response = client.post(
        reverse("appraisal-score", args=[sheet.pk]), {"opinion_score": "90", "manual_score": "90"}, format="json"
    )
    assert response.status_code == 200 and response.json()["total"] == "90.00"
    assert client.post(reverse("appraisal-score", args=[sheet.pk]), {"opinion_score": "101"}).status_code == 400
    appraisals.review_appraisal(world.county_admin, rubric)
    refused = client.post(
        reverse("appraisal-score", args=[sheet.pk]), {"opinion_score": "1", "manual_score": "1"}, format="json"
    )
    assert refused.status_code == 409


def test_api_shows_a_commissioner_only_their_published_sheet(world, county_year, api_for):
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    client = api_for("expert")  # the "expert" persona is no commissioner here: sees nothing
    assert client.get(reverse("appraisal-list")).json()["results"] == []
    appraisals.review_appraisal(world.county_admin, rubric)
    appraisals.publish_appraisal(world.county_admin, rubric)
    li = county_year["li"]
    own = APIClient()
    own.force_authenticate(li.user)
    rows = own.get(reverse("appraisal-list")).json()["results"]
    assert [(row["expert_name"], row["rating"]) for row in rows] == [("li", "excellent")]


def test_rubric_page_shows_the_ranked_sheets_and_the_distribution(world, county_year, client_for):
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    client = client_for("county_admin")
    page = client.get(reverse("commissioners:appraisal-rubric", args=[rubric.pk]))
    text = page.content.decode()
    assert "90.00" in text and "72.50" in text
    assert {t.name for t in page.context["actions"]} == {"compute", "review"}
    client.post(reverse("commissioners:appraisal-rubric-action", args=[rubric.pk, "review"]))
    client.post(reverse("commissioners:appraisal-rubric-action", args=[rubric.pk, "publish"]))
    rubric.refresh_from_db()
    assert rubric.status == RoundStatus.PUBLISHED


def test_rubric_form_and_sheet_scores_from_the_pages(world, county_year, client_for):
    client = client_for("county_admin")
    response = client.post(
        reverse("commissioners:appraisal-rubric-form"),
        {
            "county": world.county_a.code,
            "year": YEAR,
            "weight_volume": 40,
            "weight_effect": 20,
            "weight_opinion": 20,
            "weight_manual": 20,
            "volume_target": 12,
            "excellent_from": "85",
            "qualified_from": "60",
            "excellent_quota": "56",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("commissioners:appraisal-rubric-form"),
        {
            "county": world.county_a.code,
            "year": YEAR,
            "weight_volume": 50,
            "weight_effect": 20,
            "weight_opinion": 20,
            "weight_manual": 20,
            "volume_target": 12,
            "excellent_from": "85",
            "qualified_from": "60",
        },
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    rubric = AppraisalRubric.objects.get(county=world.county_a, year=YEAR)
    assert rubric.excellent_quota == 56
    appraisals.compute_appraisal(world.county_admin, rubric)
    sheet = rubric.sheets.get(expert__name="li")
    assert "score_form" in client.get(reverse("commissioners:appraisal-detail", args=[sheet.pk])).context
    client.post(
        reverse("commissioners:appraisal-score", args=[sheet.pk]), {"opinion_score": "90", "manual_score": "90"}
    )
    sheet.refresh_from_db()
    assert sheet.total == Decimal("90.00")


def test_my_appraisals_page(world, county_year, client):
    rubric = rubric_for(world)
    scored(world, rubric, SCORES)
    appraisals.review_appraisal(world.county_admin, rubric)
    appraisals.publish_appraisal(world.county_admin, rubric)
    client.force_login(county_year["wang"].user)
    page = client.get(reverse("commissioners:appraisal-mine"))
    assert [sheet.expert.name for sheet in page.context["object_list"]] == ["wang"]
    assert page.status_code == 200
