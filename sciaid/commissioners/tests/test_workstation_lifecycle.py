"""Commissioner workstations: applied → under_review → filed | rejected; filed → revoked (DESIGN.md §5), with the
reviews, activity reports, yearly appraisals and funds of a filed station, and every refusal on the way."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sciaid.accounts.models import RoleGrant, User
from sciaid.commissioners.appraisals.choices import Rating
from sciaid.commissioners.models import Workstation
from sciaid.commissioners.tests.conftest import YEAR
from sciaid.commissioners.tests.factories import make_budget
from sciaid.commissioners.workstations import services as workstations
from sciaid.commissioners.workstations.choices import ActivityKind, WorkstationStatus
from sciaid.core.roles import Role
from sciaid.core.states import TransitionRefused
from sciaid.funds.choices import RecipientKind
from sciaid.funds.services import statement

pytestmark = pytest.mark.django_db


def apply(world, commissioners=(), village="village_a1", **fields):
    data = {
        "name": "寿县河蟹绿色养殖科技特派员工作站",
        "organisation": "寿县姚祠河蟹养殖专业合作社",
        "organisation_kind": "cooperative",
        "industry": "河蟹养殖",
        "village": world.areas[village],
        "facilities": "养殖塘 300 亩",
        "plan": "推广河蟹绿色养殖技术",
        "commissioners": list(commissioners),
        **fields,
    }
    return workstations.apply_workstation(world.applicant, **data)


@pytest.fixture
def station(world, commissioner):
    return apply(world, [commissioner])


@pytest.fixture
def reviewed(world, station):
    workstations.start_workstation_review(world.county_admin, station, reviewers=[world.reviewer])
    workstations.submit_workstation_review(world.reviewer, station, score=88, opinion="技术力量强")
    station.refresh_from_db()
    return station


@pytest.fixture
def filed(world, reviewed):
    return workstations.file_workstation(world.admin, reviewed, note="第五批省级备案")


# --- the lifecycle -------------------------------------------------------------------------------------------------


def test_the_whole_life_of_a_workstation(world, filed, commissioner):
    assert filed.status == WorkstationStatus.FILED
    assert filed.filed_on is not None and filed.decision_note == "第五批省级备案"
    assert list(filed.commissioners.all()) == [commissioner]

    activity = workstations.report_workstation_activity(
        world.applicant,
        filed,
        kind=ActivityKind.TRAINING,
        held_on=date(YEAR, 5, 12),
        title="河蟹养殖技术培训",
        participants=60,
        households_driven=25,
    )
    assert activity.households_driven == 25

    appraisal = workstations.appraise_workstation(
        world.county_admin, filed, year=YEAR, score=Decimal("92"), rating=Rating.EXCELLENT
    )
    again = workstations.appraise_workstation(
        world.county_admin, filed, year=YEAR, score=Decimal("80"), rating=Rating.QUALIFIED
    )
    assert again.pk == appraisal.pk and again.rating == Rating.QUALIFIED

    budget = make_budget(world, YEAR, amount="360000")
    allocation = workstations.fund_workstation(
        world.county_admin, filed, budget=budget, amount=Decimal("180000"), purpose="工作站建设"
    )
    assert allocation.recipient_kind == RecipientKind.WORKSTATION
    assert statement(filed).allocated == Decimal("180000.00")

    revoked = workstations.revoke_workstation(world.admin, filed, reason="未按计划开展工作")
    assert revoked.status == WorkstationStatus.REVOKED


def test_the_province_rejects_an_application_with_a_reason(world, station):
    rejected = workstations.reject_workstation(world.admin, station, reason="材料不全")
    assert rejected.status == WorkstationStatus.REJECTED and rejected.decision_note == "材料不全"
    assert world.applicant.notifications.filter(kind="workstation.rejected").exists()


def test_reviewers_are_told_and_see_only_what_is_assigned(world, station, make_commissioner):
    other = apply(world, name="另一个工作站")
    workstations.start_workstation_review(world.county_admin, station, reviewers=[world.reviewer])
    assert world.reviewer.notifications.filter(kind="workstation.review").exists()
    assert list(Workstation.objects.for_user(world.reviewer)) == [station]
    assert other in Workstation.objects.for_user(world.applicant)
    assert not Workstation.objects.for_user(world.county_admin_b).exists()


def test_a_stationed_commissioner_sees_their_station(world, station, commissioner):
    assert list(Workstation.objects.for_user(world.expert)) == [station]


# --- refusals ------------------------------------------------------------------------------------------------------


def test_an_applicant_applies_only_in_their_area(world):
    with pytest.raises(PermissionDenied):
        apply(world, village="village_b1")


def test_a_farmer_may_not_apply(world):
    with pytest.raises(PermissionDenied):
        workstations.apply_workstation(
            world.farmer, name="x", organisation="y", industry="z", village=world.village_a1, plan="p"
        )


def test_only_commissioners_are_stationed(world, make_commissioner):
    expert = make_commissioner("plain", villages=[])
    expert.is_commissioner = False
    expert.save()
    with pytest.raises(ValidationError):
        apply(world, [expert])


def test_the_application_needs_a_plan(world):
    with pytest.raises(ValidationError) as refused:
        apply(world, plan=" ")
    assert "plan" in refused.value.message_dict


def test_reviewers_must_hold_the_reviewer_or_expert_role(world, station):
    with pytest.raises(ValidationError):
        workstations.start_workstation_review(world.county_admin, station, reviewers=[world.farmer])
    with pytest.raises(ValidationError):
        workstations.start_workstation_review(world.county_admin, station, reviewers=[])
    station.refresh_from_db()
    assert station.status == WorkstationStatus.APPLIED


def test_another_county_may_not_start_the_review(world, station):
    with pytest.raises(TransitionRefused):
        workstations.start_workstation_review(world.county_admin_b, station, reviewers=[world.reviewer])


def test_the_review_starts_once(world, reviewed):
    with pytest.raises(TransitionRefused):
        workstations.start_workstation_review(world.county_admin, reviewed, reviewers=[world.reviewer])


def test_only_assigned_reviewers_score(world, station):
    workstations.start_workstation_review(world.county_admin, station, reviewers=[world.reviewer])
    with pytest.raises(PermissionDenied):
        workstations.submit_workstation_review(world.expert, station, score=70, opinion="ok")


def test_scores_are_out_of_100(world, station):
    workstations.start_workstation_review(world.county_admin, station, reviewers=[world.reviewer])
    with pytest.raises(ValidationError):
        workstations.submit_workstation_review(world.reviewer, station, score=101, opinion="ok")


def test_no_scoring_after_the_decision(world, filed):
    with pytest.raises(TransitionRefused):
        workstations.submit_workstation_review(world.reviewer, filed, score=70, opinion="late")


def test_the_county_does_not_file(world, reviewed):
    with pytest.raises(PermissionDenied):
        workstations.file_workstation(world.county_admin, reviewed)


def test_nothing_is_filed_unreviewed(world, station):
    workstations.start_workstation_review(world.county_admin, station, reviewers=[world.reviewer])
    with pytest.raises(ValidationError):
        workstations.file_workstation(world.admin, station)
    with pytest.raises(TransitionRefused):
        workstations.file_workstation(world.admin, apply(world, name="未送审"))


def test_a_rejection_needs_a_reason_and_an_open_application(world, filed):
    with pytest.raises(ValidationError):
        workstations.reject_workstation(world.admin, apply(world, name="无理由"), reason="")
    with pytest.raises(TransitionRefused):
        workstations.reject_workstation(world.admin, filed, reason="too late")


def test_only_filed_stations_report_are_appraised_and_funded(world, station):
    with pytest.raises(TransitionRefused):
        workstations.report_workstation_activity(
            world.applicant, station, kind=ActivityKind.TRAINING, held_on=date(YEAR, 5, 1), title="培训"
        )
    with pytest.raises(TransitionRefused):
        workstations.appraise_workstation(world.county_admin, station, year=YEAR, score=Decimal(90), rating="excellent")
    with pytest.raises(TransitionRefused):
        workstations.fund_workstation(
            world.county_admin, station, budget=make_budget(world, YEAR), amount=Decimal(1), purpose="x"
        )


def test_the_applicant_may_not_appraise_or_fund(world, filed):
    with pytest.raises(PermissionDenied):
        workstations.appraise_workstation(world.applicant, filed, year=YEAR, score=Decimal(99), rating="excellent")


def test_funding_beyond_the_budget_is_refused(world, filed):
    with pytest.raises(ValidationError):
        workstations.fund_workstation(
            world.county_admin, filed, budget=make_budget(world, YEAR, amount="100"), amount=Decimal(101), purpose="x"
        )
    assert statement(filed).allocated == 0


def test_revocation_is_the_provinces_and_needs_a_reason(world, filed, station):
    with pytest.raises(PermissionDenied):
        workstations.revoke_workstation(world.county_admin, filed, reason="x")
    with pytest.raises(ValidationError):
        workstations.revoke_workstation(world.admin, filed, reason="")
    with pytest.raises(TransitionRefused):
        workstations.revoke_workstation(world.admin, apply(world, name="未备案"), reason="x")


# --- API -----------------------------------------------------------------------------------------------------------


def test_api_runs_the_lifecycle_with_one_action_per_step(world, api_for, commissioner):
    created = api_for("applicant").post(
        reverse("workstation-list"),
        {
            "name": "蔬菜种植科技特派员工作站",
            "organisation": "农门天下",
            "industry": "蔬菜种植",
            "village": world.village_a3.code,
            "commissioners": [commissioner.pk],
            "plan": "无公害蔬菜",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "applied"

    def act(persona, name, body=None):
        return api_for(persona).post(reverse(f"workstation-{name}", args=[pk]), body or {}, format="json")

    assert act("county_admin", "start-review", {"reviewers": [world.reviewer.pk]}).json()["status"] == "under_review"
    assert act("reviewer", "review", {"score": 90, "opinion": "同意"}).status_code == 200
    assert act("county_admin", "file").status_code == 403
    assert act("admin", "file").json()["status"] == "filed"
    assert act("admin", "file").status_code == 409
    reported = act("applicant", "report", {"kind": "demonstration", "held_on": f"{YEAR}-06-01", "title": "示范"})
    assert reported.status_code == 200 and len(reported.json()["activities"]) == 1
    assert act("admin", "revoke").status_code == 400
    assert act("admin", "revoke", {"reason": "停止运营"}).json()["status"] == "revoked"


def test_api_refuses_applications_from_other_roles(world, api_for):
    response = api_for("farmer").post(reverse("workstation-list"), {"name": "x"}, format="json")
    assert response.status_code == 403


def test_api_hides_a_station_from_an_unassigned_reviewer(world, api_for, station):
    assert api_for("reviewer").get(reverse("workstation-detail", args=[station.pk])).status_code == 404
    assert api_for("reviewer").post(reverse("workstation-review", args=[station.pk]), {}).status_code == 404


# --- pages ---------------------------------------------------------------------------------------------------------


def test_apply_page_submits_an_application(world, client_for):
    client = client_for("applicant")
    assert client.get(reverse("commissioners:workstation-apply")).status_code == 200
    response = client.post(
        reverse("commissioners:workstation-apply"),
        {
            "name": "席草科技特派员工作站",
            "organisation": "寿县席草合作社",
            "organisation_kind": "cooperative",
            "industry": "席草种植",
            "village": world.village_a1.code,
            "plan": "席草种植技术推广",
        },
    )
    assert response.status_code == 302
    assert Workstation.objects.get(name="席草科技特派员工作站").applicant == world.applicant


def test_apply_page_is_for_applicants(client_for):
    assert client_for("farmer").get(reverse("commissioners:workstation-apply")).status_code == 403


def test_detail_page_offers_each_role_its_actions(world, client_for, reviewed):
    url = reverse("commissioners:workstation-detail", args=[reviewed.pk])
    province = client_for("admin").get(url)
    assert "file" in province.context["actions"] and "reject" in province.context["actions"]
    county = client_for("county_admin").get(url)
    assert county.context["actions"] == set()
    assert "技术力量强" in county.content.decode()
    assert client_for("applicant").get(url).context["reviews"] == []


def test_actions_are_posted_from_the_page(world, client_for, reviewed):
    url = reverse("commissioners:workstation-action", args=[reviewed.pk, "file"])
    refused = client_for("county_admin").post(url, {"note": ""}, follow=True)
    assert refused.status_code == 200
    reviewed.refresh_from_db()
    assert reviewed.status == WorkstationStatus.UNDER_REVIEW
    client_for("admin").post(url, {"note": ""})
    reviewed.refresh_from_db()
    assert reviewed.status == WorkstationStatus.FILED


def test_activity_report_page(world, client_for, filed):
    url = reverse("commissioners:workstation-report", args=[filed.pk])
    client = client_for("applicant")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "training",
            "held_on": f"{YEAR}-07-01",
            "title": "蟹塘水质管理培训",
            "participants": 40,
            "households_driven": 12,
        },
    )
    assert response.status_code == 302
    assert filed.activities.get().title == "蟹塘水质管理培训"
    assert (
        "蟹塘水质管理培训" in client.get(reverse("commissioners:workstation-detail", args=[filed.pk])).content.decode()
    )


def test_list_page_lists_a_countys_stations(world, client_for, station, django_assert_max_num_queries):
    client = client_for("county_admin")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("commissioners:workstation-list"))
    assert station.name in response.content.decode()


def test_apply_form_offers_the_commissioners_of_the_applicants_area(world, client_for, make_commissioner):
    near = make_commissioner("near", villages=["village_a3"])
    far = make_commissioner("far", villages=["village_b1"], home="county_b")
    offered = client_for("applicant").get(reverse("commissioners:workstation-apply")).context["form"]
    choices = set(offered.fields["commissioners"].queryset)
    assert near in choices and far not in choices


def test_reviewers_are_offered_from_the_stations_county_and_above(world, client_for, station):
    far = User.objects.create_user("far_reviewer", password="pw")
    RoleGrant.objects.create(user=far, role=Role.REVIEWER, area=world.county_b)
    page = client_for("county_admin").get(reverse("commissioners:workstation-detail", args=[station.pk]))
    offered = set(page.context["forms"]["start_review"].fields["reviewers"].queryset)
    assert world.reviewer in offered and world.expert in offered and far not in offered
