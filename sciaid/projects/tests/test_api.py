"""The projects API as programs use it: the whole life of a project, and the status of every refusal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciaid.projects import services
from sciaid.projects.models import Project, Review
from sciaid.projects.tests.conftest import declaration, score_all, to_in_progress, to_review

CALLS, PROJECTS, REVIEWS = "/api/v1/calls/", "/api/v1/projects/", "/api/v1/reviews/"
INSPECTIONS, RECTIFICATIONS = "/api/v1/inspections/", "/api/v1/rectifications/"


def act(client, project_id: int, action: str, body: dict | None = None):
    return client.post(f"{PROJECTS}{project_id}/{action}/", body or {}, format="json")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content[:800]
    return response.json()


def declaration_body(world, call_id: int) -> dict:
    data = declaration(world)
    data["villages"] = [village.code for village in data["villages"]]
    data["requested_amount"] = "80000.00"
    return {**data, "call": call_id}


def test_a_project_lives_its_whole_life_through_the_api(world, api_for, applicant, budget, reviewers):
    county, applicant_api = api_for("county_admin"), api_for("applicant")
    deadline = (timezone.localdate() + timedelta(days=20)).isoformat()

    call = ok(
        county.post(
            CALLS,
            {
                "area": world.county_a.code,
                "title": "2020 transfer-payment demonstration",
                "year": 2020,
                "kind": "transfer_payment",
                "budget_cap": "298000",
                "per_project_cap": "100000",
                "deadline": deadline,
                "required_attachments": ["Business licence"],
                "budget": budget.pk,
            },
            format="json",
        ),
        201,
    )
    assert len(call["criteria"]) == 4 and call["remaining_budget"] == "298000.00"

    project = ok(applicant_api.post(PROJECTS, declaration_body(world, call["id"]), format="json"), 201)
    pid = project["id"]
    assert (project["status"], project["organisation"]) == ("draft", "寿县联众畜牧养殖有限公司")
    refused = ok(act(applicant_api, pid, "submit"), 400)
    assert "Attach: Business licence." in refused["non_field_errors"]
    licence = SimpleUploadedFile("licence.pdf", b"%PDF-1.4 licence", content_type="application/pdf")
    ok(applicant_api.post(f"{PROJECTS}{pid}/attach/", {"name": "Business licence", "file": licence}))
    assert ok(act(applicant_api, pid, "submit"))["status"] == "submitted"

    returned = ok(act(county, pid, "check", {"passed": False, "comment": "Name the partner's role"}))
    assert returned["status"] == "draft"
    patched = ok(applicant_api.patch(f"{PROJECTS}{pid}/", {"partner": "安徽省农业科学院畜牧所"}, format="json"))
    assert patched["partner"] == "安徽省农业科学院畜牧所"
    ok(act(applicant_api, pid, "submit"))
    assert ok(act(county, pid, "check", {"passed": True}))["status"] == "under_review"

    ok(act(county, pid, "assign_reviewers", {"reviewers": [r.pk for r in reviewers]}))
    for reviewer in reviewers:
        client = api_for(reviewer.username)
        (review,) = ok(client.get(REVIEWS, {"status": "assigned"}))["results"]
        scores = {str(c["id"]): 80 for c in review["criteria"]}
        scored = ok(
            client.post(f"{REVIEWS}{review['id']}/score/", {"scores": scores, "comments": "可行"}, format="json")
        )
        assert scored["total"] == "80.00"
    ranking = ok(county.get(f"{CALLS}{call['id']}/"))["ranking"]
    assert [(row["rank"], row["id"], row["score"]) for row in ranking] == [(1, pid, "80.00")]

    approved = ok(act(county, pid, "approve", {"amount": "70000"}))
    assert approved["status"] == "approved"
    assert approved["statement"] == {"allocated": "70000.00", "spent": "0.00", "balance": "70000.00"}
    assert ok(county.get(f"{CALLS}{call['id']}/"))["remaining_budget"] == "228000.00"

    taskbook = {
        "milestones": [{"title": "青贮饲料制备", "due_on": deadline}],
        "budget_scope": "饲料、培训",
        "targets": {str(approved["indicators"][0]["id"]): "150"},
    }
    assert ok(act(county, pid, "sign_taskbook", taskbook))["status"] == "approved"
    started = ok(act(applicant_api, pid, "sign_taskbook"))
    assert started["status"] == "in_progress"
    assert started["indicators"][0]["target"] == "150.00"
    milestone = started["milestones"][0]["id"]
    ok(act(applicant_api, pid, "report_progress", {"milestone": milestone, "report": "200 t silage"}))

    drawn = ok(
        county.post(
            f"{INSPECTIONS}draw/",
            {
                "area": world.county_a.code,
                "title": "2020 双随机",
                "year": 2020,
                "project_count": 1,
                "inspector_count": 1,
                "seed": 42,
            },
            format="json",
        ),
        201,
    )
    assert drawn["seed"] == 42 and drawn["items"][0]["project"] == pid
    assert ok(county.get(f"{INSPECTIONS}{drawn['id']}/verify/"))["matches"] is True
    inspector = api_for(next(r.username for r in reviewers if r.pk == drawn["inspectors"][0]))
    finding = {
        "item": drawn["items"][0]["id"],
        "level": "minor",
        "findings": "饲料台账不全",
        "rectifications": [{"description": "补齐饲料台账", "deadline": deadline}],
    }
    ok(inspector.post(f"{INSPECTIONS}{drawn['id']}/record/", finding, format="json"))
    ok(county.post(f"{INSPECTIONS}{drawn['id']}/publish/"))

    (rectification,) = ok(applicant_api.get(RECTIFICATIONS))["results"]
    achieved = {str(i["id"]): i["planned"] for i in started["indicators"]}
    final = {"summary": "带动120户", "achieved": achieved}
    assert "Close every rectification" in str(ok(act(applicant_api, pid, "submit_final", final), 400))
    evidence = {"evidence": "台账已补齐"}
    ok(applicant_api.post(f"{RECTIFICATIONS}{rectification['id']}/submit_evidence/", evidence, format="json"))
    closed = ok(county.post(f"{RECTIFICATIONS}{rectification['id']}/close/", {"accepted": True}, format="json"))
    assert closed["status"] == "closed"

    assert ok(act(applicant_api, pid, "submit_final", final))["status"] == "final_report"
    accepted = ok(act(county, pid, "accept", {"verdict": "passed"}))
    assert (accepted["status"], accepted["verdict"]) == ("accepted", "passed")
    assert ok(act(county, pid, "archive"))["archived_at"] is not None


# --- refusals ---------------------------------------------------------------------------------------------------


def test_a_reviewer_cannot_declare(world, api_for, call):
    assert api_for("reviewer").post(PROJECTS, declaration_body(world, call.pk), format="json").status_code == 403


def test_an_applicant_cannot_publish_a_call(world, api_for):
    body = {
        "area": world.county_a.code,
        "title": "x",
        "year": 2020,
        "kind": "special",
        "budget_cap": "1",
        "per_project_cap": "1",
        "deadline": "2020-05-01",
    }
    assert api_for("applicant").post(CALLS, body, format="json").status_code == 403


def test_the_applicant_cannot_approve_their_project(world, api_for, project, reviewers):
    to_review(world, project)
    assert act(api_for("applicant"), project.pk, "approve", {"amount": "1"}).status_code == 403


def test_the_county_cannot_submit_for_the_applicant(world, api_for, project):
    assert act(api_for("county_admin"), project.pk, "submit").status_code == 403


def test_another_county_gets_a_404(world, api_for, project):
    services.submit(world.applicant, project)
    client = api_for("county_admin_b")
    assert act(client, project.pk, "check", {"passed": True}).status_code == 404
    assert client.get(f"{PROJECTS}{project.pk}/").status_code == 404


def test_a_wrong_state_is_a_409_with_the_reason(world, api_for, project):
    response = act(api_for("county_admin"), project.pk, "approve", {"amount": "1000"})
    assert response.status_code == 409
    assert response.json()["code"] == "transition_refused"


def test_an_amount_over_the_request_is_a_400_on_the_amount(world, api_for, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers)
    score_all(project, reviewers)
    body = ok(act(api_for("county_admin"), project.pk, "approve", {"amount": "90000"}), 400)
    assert "exceeds the request" in body["amount"][0]
    assert Project.objects.get(pk=project.pk).approved_amount is None


def test_a_conflicted_reviewer_is_a_400(world, api_for, project, reviewers):
    reviewers[1].organisation = project.organisation
    reviewers[1].save()
    to_review(world, project)
    body = ok(act(api_for("county_admin"), project.pk, "assign_reviewers", {"reviewers": [reviewers[1].pk]}), 400)
    assert "conflict of interest" in body["reviewers"][0]


def test_a_reviewer_sees_and_scores_only_their_own_reviews(world, api_for, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers[1:])
    client = api_for("reviewer")
    assert ok(client.get(REVIEWS))["count"] == 0
    assert client.get(f"{PROJECTS}{project.pk}/").status_code == 404
    other = Review.objects.filter(project=project).first()
    assert client.post(f"{REVIEWS}{other.pk}/score/", {"scores": {}, "comments": "x"}, format="json").status_code == 404
    assert api_for("reviewer2").get(f"{PROJECTS}{project.pk}/").status_code == 200


def test_an_applicant_sees_only_their_own_declarations(world, api_for, project):
    assert ok(api_for("applicant").get(PROJECTS))["count"] == 1
    assert ok(api_for("farmer").get(PROJECTS))["count"] == 0


def test_an_inspector_not_drawn_cannot_record(world, api_for, project, reviewers):
    to_in_progress(world, project, reviewers)
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1, seed=1
    )
    drawn = inspection.inspectors.get()
    bystander = next(r for r in reviewers if r != drawn)
    body = {"item": inspection.items.get().pk, "level": "good", "findings": "ok"}
    response = api_for(bystander.username).post(f"{INSPECTIONS}{inspection.pk}/record/", body, format="json")
    assert response.status_code == 404


def test_list_queries_do_not_grow_with_projects(world, api_for, applicant, call, django_assert_max_num_queries):
    for i in range(3):
        services.declare(applicant, call, **declaration(world, title=f"P{i}"))
    client = api_for("county_admin")
    with django_assert_max_num_queries(8):
        assert ok(client.get(PROJECTS))["count"] == 3
    for i in range(10):
        services.declare(applicant, call, **declaration(world, title=f"Q{i}"))
    with django_assert_max_num_queries(8):
        assert ok(client.get(PROJECTS))["count"] == 13


def test_money_comes_from_the_ledger(world, api_for, project, reviewers):
    to_in_progress(world, project, reviewers)
    body = ok(api_for("county_admin").get(f"{PROJECTS}{project.pk}/"))
    assert Decimal(body["statement"]["allocated"]) == Decimal("70000")
