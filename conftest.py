"""Fixtures shared by every app's tests: the two-county world and logged-in clients per persona."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from sciaid.core import sms
from sciaid.testing import build_world

#: `small_demo` and `full_demo`: the demo county built once per test process (sciaid/demo/testing.py).
pytest_plugins = ["sciaid.demo.testing"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (real concurrent connections, row locks) are skipped on SQLite before their database
    is set up: a transactional set-up with serialized rollback there would only fail on content types."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(world):
    """client_for("county_admin") → a Django test client logged in as that persona."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


@pytest.fixture
def api_for(world):
    """api_for("county_admin") → a DRF client authenticated as that persona."""

    def make(name: str) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(world.users[name])
        return client

    return make


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the platform's default language (Chinese), as every request does; a page test that made
    a request under /en/ would otherwise leave English active for the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test flushes the database and content types come back with new ids; forget the cached ones
    so the audit log never points at a stale id."""
    ContentType.objects.clear_cache()


@pytest.fixture
def english():
    """Run the test's own code (services, reverse(), templates downloaded) in English, to assert English messages."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    """One upload folder for the run, so files of module-wide data outlive a single test."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, media_root):
    """Jobs inline, text messages kept in memory, uploads in a temporary folder, and a fast password hasher (the
    real one costs ~0.3 s a user)."""
    settings.JOBS_BACKEND = "sync"
    settings.SMS_BACKEND = "locmem"
    sms.outbox.clear()
    settings.MEDIA_ROOT = media_root
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
