"""The language switch remembers a logged-in user's choice: what the platform sends them later is in it."""

import pytest

from sciaid.accounts.models import User

pytestmark = pytest.mark.django_db


def test_switching_language_is_remembered_for_a_logged_in_user(world, client_for):
    client = client_for("info_officer")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(username="info_officer").language == "en"
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert User.objects.get(username="info_officer").language == "zh-hans"


def test_an_unknown_language_changes_nothing(world, client_for):
    client_for("info_officer").post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert User.objects.get(username="info_officer").language == ""


def test_anonymous_visitors_can_still_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
