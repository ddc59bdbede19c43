"""The project pages: what each role sees and can do, the step-by-step declaration, and the public results page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sciaid.projects import services
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import Project, Rectification, Review
from sciaid.projects.tests.conftest import APPLICANT_ORG, declaration, to_in_progress, to_review

pytestmark = pytest.mark.usefixtures("english")


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_each_role_finds_its_project_menu(world, client_for):
    assert ">My projects<" in page(client_for("applicant"), "/en/")
    assert ">Projects<" in page(client_for("county_admin"), "/en/")
    assert ">My reviews<" in page(client_for("reviewer"), "/en/")
    assert "/projects/" not in page(client_for("farmer"), "/en/")


def test_the_county_publishes_a_call_on_the_web(world, client_for):
    body = {
        "area": world.county_a.pk,
        "title": "2020 demonstration call",
        "year": 2020,
        "kind": "demonstration",
        "budget_cap": "298000",
        "per_project_cap": "100000",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "required_attachments": "Business licence\nPartner agreement",
        "criteria": "Effect: 60\nTeam: 40",
    }
    response = client_for("county_admin").post("/en/projects/calls/new/", body)
    assert response.status_code == 302
    html = page(client_for("county_admin"), response["Location"])
    assert "Business licence, Partner agreement" in html
    assert "Effect" in html and "× 60" in html


def test_a_bad_rubric_line_is_a_form_error(world, client_for):
    body = {"area": world.county_a.pk, "title": "x", "criteria": "Effect sixty"}
    html = client_for("county_admin").post("/en/projects/calls/new/", body).content.decode()
    assert "name: weight" in html


def test_an_applicant_declares_step_by_step_and_the_draft_is_kept(world, client_for, applicant, call):
    client = client_for("applicant")
    assert "Declare a project" in page(client, f"/en/projects/calls/{call.pk}/")
    form = page(client, f"/en/projects/calls/{call.pk}/declare/")
    assert APPLICANT_ORG in form
    basics = {
        "title": "Hu sheep ecological breeding",
        "organisation": APPLICANT_ORG,
        "industry": "Hu sheep",
        "partner": "Anhui Academy of Agricultural Sciences",
        "requested_amount": "80000",
        "villages": [world.village_a1.pk],
    }
    response = client.post(f"/en/projects/calls/{call.pk}/declare/", basics)
    project = Project.objects.get(title="Hu sheep ecological breeding")
    assert response["Location"] == f"/en/projects/{project.pk}/edit/indicators/"
    rows = {"rows-TOTAL_FORMS": "3", "rows-INITIAL_FORMS": "0"}
    client.post(
        f"/en/projects/{project.pk}/edit/indicators/",
        {
            **rows,
            "rows-0-kind": "households",
            "rows-0-planned": "120",
            "rows-1-kind": "households",
            "rows-2-kind": "households",
        },
    )
    assert list(project.indicators.values_list("planned", flat=True)) == [120]
    client.post(
        f"/en/projects/{project.pk}/edit/budget/",
        {
            **rows,
            "rows-0-category": "materials",
            "rows-0-amount": "50000",
            "rows-1-category": "training",
            "rows-1-amount": "30000",
            "rows-2-category": "equipment",
        },
    )
    assert project.budget_lines.count() == 2
    detail = page(client, f"/en/projects/{project.pk}/")
    assert "Submit the declaration" in detail
    client.post(f"/en/projects/{project.pk}/submit/")
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.SUBMITTED


def test_a_refused_submit_is_shown_and_changes_nothing(world, client_for, project):
    project.budget_lines.all().delete()
    response = client_for("applicant").post(f"/en/projects/{project.pk}/submit/", follow=True)
    assert "The budget lines sum to ¥0.00 but the request is ¥80,000.00." in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.DRAFT


def test_the_county_sees_conflicts_and_assigns_reviewers(world, client_for, project, reviewers):
    reviewers[2].organisation = APPLICANT_ORG
    reviewers[2].save()
    to_review(world, project)
    client = client_for("county_admin")
    html = page(client, f"/en/projects/{project.pk}/")
    assert "Excluded for conflicts of interest" in html and "same organisation as the applicant" in html
    client.post(f"/en/projects/{project.pk}/assign_reviewers/", {"reviewers": [reviewers[0].pk, reviewers[1].pk]})
    assert set(Review.objects.values_list("reviewer", flat=True)) == {reviewers[0].pk, reviewers[1].pk}


def test_a_reviewer_scores_on_the_web_and_others_only_read(world, client_for, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers[:1])
    review = project.reviews.get()
    url = f"/en/projects/reviews/{review.pk}/"
    assert "Save scores" not in page(client_for("county_admin"), url)
    assert client_for("county_admin").post(url, {}).status_code == 403
    client = client_for("reviewer")
    assert project.title in page(client, "/en/projects/reviews/")
    body = {f"score_{c.pk}": 90 for c in project.call.criteria.all()}
    client.post(url, {**body, "comments": "Sound plan"})
    review.refresh_from_db()
    assert str(review.total) == "90.00"


def test_the_public_results_show_no_personal_data(world, client, project, reviewers):
    to_in_progress(world, project, reviewers)
    inspection = services.draw_inspection(
        world.county_admin,
        area=world.county_a,
        title="2020 inspection",
        year=2020,
        project_count=1,
        inspector_count=1,
        seed=9,
    )
    inspector = inspection.inspectors.get()
    services.record_finding(
        inspector,
        inspection.items.get(),
        level="minor",
        findings="Feed ledger incomplete",
        rectifications=[{"description": "Complete the ledger", "deadline": timezone.localdate()}],
    )
    assert "2020 inspection" not in page(client, "/en/projects/public/inspections/")
    services.publish_inspection(world.county_admin, inspection)
    assert "2020 inspection" in page(client, "/en/projects/public/inspections/")
    html = page(client, f"/en/projects/public/inspections/{inspection.pk}/")
    assert project.title in html and "Feed ledger incomplete" in html and "Complete the ledger" in html
    assert "The seed gives the recorded result." in html
    for person in (inspector, world.applicant, world.county_admin, *reviewers):
        assert person.username not in html
    assert "张明" not in html


def test_an_inspector_records_a_finding_on_the_web(world, client_for, project, reviewers):
    to_in_progress(world, project, reviewers)
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="t", year=2020, project_count=1, inspector_count=1, seed=9
    )
    inspector = inspection.inspectors.get()
    client = client_for(inspector.username)
    html = page(client, f"/en/projects/inspections/{inspection.pk}/")
    assert "Record findings" in html
    item = inspection.items.get()
    client.post(
        f"/en/projects/findings/{item.pk}/",
        {
            f"item{item.pk}-level": "minor",
            f"item{item.pk}-findings": "Ledger missing",
            f"item{item.pk}-rectification": "Keep a ledger",
            f"item{item.pk}-deadline": timezone.localdate().isoformat(),
        },
    )
    assert Rectification.objects.get(item=item).description == "Keep a ledger"


def test_bad_project_urls_are_not_found(world, client_for, project):
    client = client_for("county_admin")
    assert client.get(f"/en/projects/{project.pk}/edit/nonsense/").status_code == 404
    assert client.post(f"/en/projects/{project.pk}/nonsense/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/projects/?status=bogus&call=abc&year=20x&page=abc",
        "/projects/?export=pdf",
        "/projects/calls/?kind=moon&year=x",
        "/projects/calls/99999999/declare/",
        "/projects/reviews/?status=bogus&project=x",
        "/projects/inspections/?year=x",
        "/projects/inspections/99999999/",
        "/projects/rectifications/?overdue=perhaps&status=x",
        "/projects/public/inspections/?page=abc",
        "/projects/public/inspections/99999999/",
        "/api/v1/projects/?status=bogus&call=abc",
        "/api/v1/rectifications/?overdue=maybe",
    ],
)
def test_odd_addresses_get_no_server_error(world, client_for, path):
    assert client_for("county_admin").get(path).status_code < 500


def test_the_project_list_costs_the_same_queries_for_more_rows(
    world, client_for, applicant, call, django_assert_max_num_queries
):
    client = client_for("county_admin")
    for i in range(2):
        services.declare(applicant, call, **declaration(world, title=f"P{i}"))
    with django_assert_max_num_queries(12):
        assert client.get("/en/projects/").status_code == 200
    for i in range(10):
        services.declare(applicant, call, **declaration(world, title=f"Q{i}"))
    with django_assert_max_num_queries(12):
        assert client.get("/en/projects/").status_code == 200


def test_the_home_page_counts_a_reviewers_waiting_reviews(world, client_for, project, reviewers):
    to_review(world, project)
    services.assign_reviewers(world.county_admin, project, reviewers[:1])
    response = client_for("reviewer").get("/en/")
    section = next(s for s in response.context["sections"] if s["title"] == "S&T poverty-alleviation projects")
    first = section["items"][0]
    assert (first["label"], first["count"]) == ("My reviews", 1)


def test_the_project_list_opens_on_the_latest_call_year_with_projects(world, client_for, applicant, call):
    services.declare(applicant, call, **declaration(world, title="Declared in 2020"))
    later = services.create_call(
        world.county_admin,
        area=world.county_a,
        title="2021 call",
        year=2021,
        kind="demonstration",
        budget_cap="100000",
        per_project_cap="50000",
        deadline=call.deadline,
    )
    services.create_call(  # a later call nobody declared in yet: no data that year
        world.county_admin,
        area=world.county_a,
        title="2022 call",
        year=2022,
        kind="demonstration",
        budget_cap="100000",
        per_project_cap="50000",
        deadline=call.deadline,
    )
    services.declare(applicant, later, **declaration(world, title="Declared in 2021", requested_amount="50000"))
    client = client_for("county_admin")
    assert [p.title for p in client.get("/en/projects/").context["object_list"]] == ["Declared in 2021"]
    every = client.get("/en/projects/", {"year": ""}).context["object_list"]
    assert {p.title for p in every} == {"Declared in 2020", "Declared in 2021"}
