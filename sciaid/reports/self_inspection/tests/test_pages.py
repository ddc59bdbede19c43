"""The pages: choose, preview, edit, download; and the API's job with its download links."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from sciaid.reports.self_inspection.models import SelfInspectionDraft
from sciaid.reports.self_inspection.services import si_reverse

API = "/api/v1/self-inspection/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def client_of(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def api_of(world, persona) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(world.users[persona])
    return client


def test_the_index_and_preview_serve_the_own_county_only(world):
    client = client_of(world, "county_admin")
    for name in ("index", "preview"):
        assert client.get(si_reverse(name), {"area": world.county_a.code, "year": 2020}).status_code == 200
        assert client.get(si_reverse(name), {"area": world.county_b.code, "year": 2020}).status_code == 404
    assert client_of(world, "outsider").get(si_reverse("preview"), {"area": world.county_a.code}).status_code == 403
    page = client.get(si_reverse("preview"), {"area": world.county_a.code, "year": 2020}).content.decode()
    assert 'id="section-commissioners"' in page and 'id="checks"' in page


def test_the_county_admin_edits_a_section_and_the_preview_shows_it(world):
    client = client_of(world, "county_admin")
    url = f"{si_reverse('edit', 'problems')}?area={world.county_a.code}&year=2020"
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Villages are far apart."})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "Villages are far apart." in preview
    assert "Villages are far apart." in client.get(url).content.decode()  # in the history
    assert client.post(url, {"reset": "1"}).status_code == 302
    assert not SelfInspectionDraft.objects.exists()


def test_readers_who_may_not_edit_are_refused_the_edit_page(world):
    url = f"{si_reverse('edit', 'problems')}?area={world.county_a.code}&year=2020"
    assert client_of(world, "triage").get(url).status_code == 403
    assert client_of(world, "triage").post(url, {"text": "x"}).status_code == 403
    assert client_of(world, "county_admin_b").post(url, {"text": "x"}).status_code == 404
    assert not SelfInspectionDraft.objects.exists()


def test_the_downloads_are_a_docx_and_a_pdf(world):
    from docx import Document

    client = client_of(world, "county_admin")
    query = {"area": world.county_a.code, "year": 2020}
    docx = client.get(si_reverse("download", "docx"), query)
    assert docx.status_code == 200
    document = Document(io.BytesIO(b"".join(docx.streaming_content)))
    assert "寿县" in document.paragraphs[0].text
    pdf = client.get(si_reverse("download", "pdf"), query)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(si_reverse("download", "docx"), {"area": world.county_b.code}).status_code == 404


def test_the_api_makes_the_report_in_a_job_with_download_links(world, django_capture_on_commit_callbacks):
    client = api_of(world, "county_admin")
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(API, {"area": world.city.code, "year": 2020}, format="json")
    assert created.status_code == 403 or created.status_code == 404  # the city is above the county admin
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(API, {"area": world.county_a.code, "year": 2020}, format="json")
    assert created.status_code == 202
    status = client.get(f"{API}{created.json()['id']}/")
    assert status.status_code == 200
    body = status.json()
    assert body["status"] == "succeeded" and body["percent"] == 100 and body["area"] == world.county_a.code
    download = client.get(body["links"]["pdf"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    # Another user's job is as if it did not exist.
    assert api_of(world, "admin").get(f"{API}{body['id']}/").status_code == 404


def test_the_province_admin_makes_the_city_report_in_a_job(world, django_capture_on_commit_callbacks):
    client = api_of(world, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(API, {"area": world.city.code, "year": 2020}, format="json")
    assert created.status_code == 202
    body = client.get(f"{API}{created.json()['id']}/").json()
    assert body["status"] == "succeeded" and set(body["links"]) == {"docx", "pdf"}


@pytest.mark.parametrize(
    ("persona", "data", "status"),
    [
        ("county_admin", {"area": "340421000000", "year": 2020}, 404),  # another county
        ("county_admin", {"area": "34042", "year": 2020}, 400),
        ("county_admin", {"area": "340422000000"}, 400),
        ("county_admin", {"area": "340422105201", "year": 2020}, 400),  # a village
        ("farmer", {"area": "340422000000", "year": 2020}, 403),
        ("outsider", {"area": "340422000000", "year": 2020}, 403),
    ],
)
def test_the_api_refuses_bad_requests_and_other_jurisdictions(world, persona, data, status):
    assert api_of(world, persona).post(API, data, format="json").status_code == status
