"""Fixtures shared by every app's tests: the two-county world and logged-in clients per persona."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sciaid.testing import build_world


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
        client = APIClient()
        client.force_authenticate(world.users[name])
        return client

    return make


@pytest.fixture(autouse=True)
def _jobs_inline(settings, tmp_path):
    settings.JOBS_BACKEND = "sync"
    settings.MEDIA_ROOT = tmp_path / "media"
