"""The API's documentation is for users who log in, and it loads nothing from other hosts."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

EXTERNAL = re.compile(r"""(?:src|href)=["']?(?:https?:)?//""")


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_and_get_no_schema():
    docs = Client().get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/?next=/api/docs/")
    schema = APIClient().get("/api/schema/")
    assert schema.status_code == 401
    assert schema["WWW-Authenticate"].startswith("Token")


def test_a_logged_in_user_reads_the_vendored_redoc(client_for):
    """Redoc is one script (1.1 MB, ~290 KB over brotli) where Swagger UI was three files of 2 MB."""
    response = client_for("county_admin").get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'spec-url="/api/schema/"' in html
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone" in html
    assert not EXTERNAL.search(html), "no CDN, no web fonts"
    assert "<script>" not in html, "no inline script: the Content-Security-Policy refuses it"


def test_the_schema_answers_the_session_the_docs_page_runs_in(client_for):
    assert client_for("county_admin").get("/api/schema/").status_code == 200
