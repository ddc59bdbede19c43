"""When the database is unavailable a page answers a clean, translated 503 and the API a JSON 503; an unexpected
error is a JSON 500 under /api/; `/healthz` names the failing part for the load balancer."""

from __future__ import annotations

import errno
from contextlib import contextmanager
from unittest import mock

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from sciaid.regions.api import AreaViewSet


@contextmanager
def database_down():
    """Every new query fails as it does when PostgreSQL refuses connections."""
    refused = OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed: refused')
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=refused):
        yield


def tolerant(client: Client) -> Client:
    """A test client that answers like the server (handler500) instead of re-raising the view's exception."""
    client.raise_request_exception = False
    return client


def test_a_page_answers_a_translated_503_without_traceback_when_the_database_is_down(world, client_for):
    client = tolerant(client_for("county_admin"))
    with database_down():
        response = client.get("/regions/households/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    with translation.override("zh-hans"):
        assert gettext("The platform is briefly unavailable") in html
    assert '<html lang="zh-hans">' in html
    assert "sciaid.css" in html
    for leak in ("Traceback", "OperationalError", "db.internal", "5432", "SECRET_KEY"):
        assert leak not in html


def test_the_503_page_speaks_english_under_en(world, client_for):
    client = tolerant(client_for("county_admin"))
    with database_down():
        response = client.get("/en/regions/households/")
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


def test_an_anonymous_visitor_gets_the_503_page_too(db):
    with database_down():
        response = tolerant(Client()).get("/")
    assert response.status_code == 503


def test_the_api_answers_json_503_when_the_database_is_down(world, api_for):
    client = tolerant(api_for("county_admin"))
    with database_down():
        response = client.get("/api/v1/areas/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "unavailable"
    assert "5432" not in response.content.decode()


def test_an_unexpected_api_error_is_json_500(world, api_for):
    client = tolerant(api_for("county_admin"))
    with mock.patch.object(AreaViewSet, "list", side_effect=RuntimeError("secret detail")):
        response = client.get("/api/v1/areas/")
    assert response.status_code == 500
    assert response.json() == {
        "detail": "The server could not finish this request; nothing was saved.",
        "code": "server_error",
    }


def test_an_unexpected_page_error_is_the_html_500_page(world, client_for):
    client = tolerant(client_for("county_admin"))
    with mock.patch("sciaid.regions.views.HouseholdListView.get", side_effect=RuntimeError("secret detail")):
        page = client.get("/regions/households/")
    assert page.status_code == 500
    assert "secret detail" not in page.content.decode()
    assert "<html" in page.content.decode()


# --- /healthz -----------------------------------------------------------------------------------------------------


def test_healthz_answers_ok_for_every_part_without_a_login(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "not used", "media": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_names_the_database_when_it_is_down(db, client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failing"
    assert response.json()["media"] == "ok"
    assert "5432" not in response.content.decode()


def test_healthz_names_read_only_media(db, client):
    read_only = OSError(errno.EROFS, "Read-only file system: '/var/lib/sciaid/media'")
    with mock.patch("sciaid.core.health.tempfile.NamedTemporaryFile", side_effect=read_only):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["media"] == "failing"
    assert response.json()["database"] == "ok"
    assert "/var/lib" not in response.content.decode()


def test_healthz_checks_the_broker_when_jobs_go_to_celery(db, client, settings):
    settings.JOBS_BACKEND = "celery"
    with mock.patch("sciaid.celery.app.connection_for_write", side_effect=ConnectionRefusedError("redis:6379")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "failing"
    assert "6379" not in response.content.decode()
