"""The declaration on a phone: villages picked by township with a filter instead of a 200-line multi-select, the way
on to submission once the last document is attached, and words that mean what they say here in Chinese."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sciaid.projects import services
from sciaid.projects.choices import ProjectStatus
from sciaid.projects.models import Project
from sciaid.projects.tests.conftest import declaration

PDF = b"%PDF-1.4\n% document\n"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def townships(html: str) -> dict[str, list[str]]:
    """{township heading: [village ids]} as the picker shows them."""
    groups = re.findall(r'<details class="township"[^>]*>\s*<summary>([^<]+?) <span.*?</details>', html, re.S)
    blocks = re.findall(r'<details class="township"[^>]*>.*?</details>', html, re.S)
    villages = [re.findall(r'name="villages" value="(\d+)"', block) for block in blocks]
    return dict(zip(groups, villages, strict=True))


def test_the_villages_are_checkboxes_grouped_by_township_with_a_filter(world, client_for, applicant, call):
    html = page(client_for("applicant"), f"/en/projects/calls/{call.pk}/declare/")
    assert '<select name="villages"' not in html
    a1, a2, a3 = (str(world.areas[key].pk) for key in ("village_a1", "village_a2", "village_a3"))
    assert townships(html) == {"隐贤镇": [a1, a2], world.areas["township_a2"].name: [a3]}
    assert str(world.village_b1.pk) not in townships(html)  # only the county's own villages
    assert 'class="village-filter"' in html and "/static/projects/village_picker.js" in html
    assert re.search(r'data-search="姚祠村 yaocicun ycc"', html)  # found by its characters or its pinyin


def test_the_township_of_a_chosen_village_opens_on_edit(world, client_for, project):
    html = page(client_for("applicant"), f"/en/projects/{project.pk}/edit/basics/")
    assert '<details class="township" data-search="隐贤镇" open>' in html
    assert re.search(rf'value="{world.village_a1.pk}"[^>]*checked', html)
    assert "Villages chosen: <strong>1</strong>" in html
    other = world.areas["township_a2"].name
    assert re.search(rf'<details class="township" data-search="{other}">', html)  # folded


def test_villages_chosen_on_the_picker_are_saved(world, client_for, project):
    body = {
        "title": project.title,
        "organisation": project.organisation,
        "industry": project.industry,
        "requested_amount": "80000",
        "villages": [world.village_a2.pk, world.village_a3.pk],
    }
    client_for("applicant").post(f"/en/projects/{project.pk}/edit/basics/", body)
    assert set(project.villages.all()) == {world.village_a2, world.village_a3}


@pytest.mark.usefixtures("english")
def test_after_the_last_document_the_page_leads_to_submission(world, client_for, applicant, call):
    call.required_attachments = ["Business licence", "Partner agreement"]
    call.save()
    project = services.declare(applicant, call, **declaration(world))
    client = client_for("applicant")
    url = f"/en/projects/{project.pk}/edit/attachments/"
    first = page(client, url)
    assert 'id="next-step"' not in first and "Still to attach: Business licence, Partner agreement" in first
    # The page knows which step it is (base.html's language switch once took over the name `current`).
    assert f'<li aria-current="step"><a href="{url}">Attachments</a>' in first and ">Attach</button>" in first
    assert re.search(r'<option value="Business licence" selected>', first)

    client.post(url, {"name": "Business licence", "file": SimpleUploadedFile("a.pdf", PDF)})
    second = page(client, url)
    assert 'id="next-step"' not in second
    assert re.search(r'<option value="Partner agreement" selected>', second)  # the next missing one comes first

    after = client.post(url, {"name": "Partner agreement", "file": SimpleUploadedFile("b.pdf", PDF)}, follow=True)
    html = after.content.decode()
    assert "Every required document is attached." in html
    next_step = re.search(r'<div class="card" id="next-step">.*?</div>\s*</form>', html, re.S).group(0)
    assert f'action="/en/projects/{project.pk}/submit/"' in next_step and "Submit the declaration" in next_step

    client.post(f"/en/projects/{project.pk}/submit/")
    assert Project.objects.get(pk=project.pk).status == ProjectStatus.SUBMITTED


@pytest.mark.usefixtures("english")
def test_an_incomplete_declaration_says_what_is_missing_instead_of_offering_to_submit(world, client_for, project):
    project.budget_lines.all().delete()
    html = page(client_for("applicant"), f"/en/projects/{project.pk}/edit/attachments/")
    assert 'id="next-step"' not in html and "Before you can submit:" in html


def test_the_call_list_deadline_is_the_declaration_deadline_in_chinese(world, client_for, call):
    html = page(client_for("county_admin"), "/projects/calls/")
    assert "申报截止日期" in html and "整改期限" not in html


def test_an_area_indicator_is_not_called_a_region_in_chinese(world, client_for, applicant, call):
    indicators = [{"kind": "area", "planned": "1200", "unit": "亩"}]
    project = services.declare(applicant, call, **declaration(world, indicators=indicators))
    html = page(client_for("applicant"), f"/projects/{project.pk}/")
    cell = re.search(r'<td data-label="指标">(.*?)</td>', html, re.S).group(1)
    assert "地区" not in cell and "亩" in cell
