"""Two identical creates at the same moment: the one whose insert meets the other's unique key gets a 409 that says
so, as JSON, instead of a server error (any create of the API; the experts' is the example)."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from sciaid.experts import services
from sciaid.experts.models import Expert

pytestmark = pytest.mark.django_db

NEW = {"name": "周新", "organisation": "寿县农业技术推广中心", "specialties": ["grain"], "phone": "13905547777"}


def test_a_create_losing_a_unique_key_race_is_a_409(world, api_for):
    body = {"username": "racer", "home_area": world.county_a.code, **NEW}
    lost = IntegrityError('duplicate key value violates unique constraint "accounts_user_username_key"')
    with mock.patch.object(services, "save_expert", side_effect=lost):
        response = api_for("county_admin").post(reverse("expert-list"), body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "same moment" in response.json()["detail"] or "同时" in response.json()["detail"]
    assert not Expert.objects.filter(user__username="racer").exists()
