"""What each role is shown on the project pages leads somewhere it may go: every tab, button and link opens (no 403,
no 404), the tab bars are `<nav class="tabs">`, and a project's files are served only to those who may see it."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sciaid.projects import services
from sciaid.projects.models import Project
from sciaid.projects.tests.conftest import to_in_progress, to_review

pytestmark = pytest.mark.usefixtures("english")
LINK = re.compile(r'<a\s[^>]*href="(/[^"#]*)"')
MAIN = re.compile(r"<main>(.*)</main>", re.S)
PDF = b"%PDF-1.4\n% business licence\n"


def main_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return MAIN.search(response.content.decode()).group(1)


def broken_links(client, url: str) -> list[tuple[str, int]]:
    """The links in the page's content that do not open for the same user (files and pages alike)."""
    links = {link.replace("&amp;", "&") for link in LINK.findall(main_of(client, url))}
    return [(link, status) for link in sorted(links) if (status := client.get(link).status_code) not in (200, 302)]


@pytest.fixture
def busy_project(world, project, reviewers) -> Project:
    """A project in progress with an attached document, a published inspection and a rectification with evidence."""
    services.attach(world.applicant, project, name="营业执照", file=SimpleUploadedFile("licence.pdf", PDF))
    to_in_progress(world, project, reviewers)
    inspection = services.draw_inspection(
        world.county_admin, area=world.county_a, title="2020 inspection", year=2020, project_count=1, inspector_count=1
    )
    deadline = timezone.localdate()
    rows = [{"description": "Complete the feed ledger", "deadline": deadline}]
    services.record_finding(
        world.county_admin, inspection.items.get(), level="minor", findings="Ledger", rectifications=rows
    )
    services.publish_inspection(world.county_admin, inspection)
    rectification = project.rectifications.get()
    evidence = SimpleUploadedFile("ledger.pdf", PDF)
    services.submit_evidence(world.applicant, rectification, evidence="Ledger completed", evidence_file=evidence)
    return project


@pytest.mark.parametrize("persona", ["county_admin", "supervisor", "applicant", "reviewer", "admin"])
def test_no_link_on_the_project_pages_leads_to_a_refusal(world, client_for, busy_project, persona):
    client = client_for(persona)
    rectification = busy_project.rectifications.get()
    inspection = busy_project.inspection_items.get().inspection
    pages = [
        "/en/projects/",
        "/en/projects/calls/",
        f"/en/projects/calls/{busy_project.call_id}/",
        f"/en/projects/{busy_project.pk}/",
        "/en/projects/reviews/",
        "/en/projects/inspections/",
        f"/en/projects/inspections/{inspection.pk}/",
        "/en/projects/rectifications/",
        f"/en/projects/rectifications/{rectification.pk}/",
        "/en/projects/public/inspections/",
    ]
    broken = {}
    for url in pages:
        # Only the pages this role may open at all: the others refuse, and show no links.
        if client.get(url).status_code == 200 and (found := broken_links(client, url)):
            broken[url] = found
    assert not broken


def test_the_tabs_show_each_role_only_the_lists_it_may_open(world, client_for, busy_project):
    applicant = main_of(client_for("applicant"), "/en/projects/")
    tabs = re.search(r'<nav class="tabs".*?</nav>', applicant, re.S).group(0)
    assert "·" not in tabs  # the separators come from the style sheet
    assert 'href="/en/projects/calls/"' in applicant and 'href="/en/projects/rectifications/"' in applicant
    assert 'href="/en/projects/inspections/"' not in applicant and 'href="/en/projects/reviews/"' not in applicant
    assert client_for("applicant").get("/en/projects/inspections/").status_code == 403
    admin = main_of(client_for("county_admin"), "/en/projects/")
    assert 'href="/en/projects/inspections/"' in admin and 'href="/en/projects/reviews/"' in admin
    assert 'aria-current="page">Projects</a>' in admin
    assert 'href="/en/projects/calls/new/"' not in main_of(client_for("applicant"), "/en/projects/calls/")
    assert 'href="/en/projects/calls/new/"' in main_of(client_for("county_admin"), "/en/projects/calls/")
    assert client_for("farmer").get("/en/projects/").status_code == 403


def test_an_attachment_is_served_to_those_who_may_see_the_project(world, client_for, client, busy_project):
    attachment = busy_project.attachments.get()
    url = f"/en/projects/attachments/{attachment.pk}/"
    assert url in main_of(client_for("county_admin"), f"/en/projects/{busy_project.pk}/")
    for persona in ("applicant", "county_admin", "supervisor", "reviewer"):
        response = client_for(persona).get(url)
        assert response.status_code == 200, persona
        assert b"".join(response.streaming_content) == PDF
        assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in response["Content-Disposition"]
    for persona in ("county_admin_b", "outsider", "farmer"):
        assert client_for(persona).get(url).status_code in (403, 404), persona
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for("county_admin").get("/en/projects/attachments/999999/").status_code == 404


def test_rectification_evidence_is_served_like_the_attachments(world, client_for, client, busy_project):
    rectification = busy_project.rectifications.get()
    url = f"/en/projects/rectifications/{rectification.pk}/evidence/"
    assert url in main_of(client_for("county_admin"), f"/en/projects/rectifications/{rectification.pk}/")
    assert b"".join(client_for("county_admin").get(url).streaming_content) == PDF
    assert client_for("county_admin_b").get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_a_rectification_without_evidence_file_has_no_file_to_serve(world, client_for, project, reviewers):
    to_in_progress(world, project, reviewers)
    rectification = services.create_rectification(
        world.county_admin, project, description="Ledger", deadline=timezone.localdate()
    )
    assert (
        client_for("county_admin").get(f"/en/projects/rectifications/{rectification.pk}/evidence/").status_code == 404
    )


def test_the_draft_edit_link_is_only_for_the_applicants_own_draft(world, client_for, project):
    edit = f"/en/projects/{project.pk}/edit/basics/"
    assert edit in main_of(client_for("applicant"), f"/en/projects/{project.pk}/")
    to_review(world, project)
    assert edit not in main_of(client_for("applicant"), f"/en/projects/{project.pk}/")
    assert client_for("applicant").get(edit).status_code == 403
