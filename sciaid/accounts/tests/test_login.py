"""Logging in by username or phone, the lockout after repeated failures, and password reset by e-mail."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_attempts():
    cache.clear()


def logged_in_user(client: Client):
    return client.get("/").wsgi_request.user


def test_a_user_logs_in_with_their_username(world):
    client = Client()
    response = client.post(LOGIN, {"username": "county_admin", "password": "pw"})
    assert response.status_code == 302
    assert logged_in_user(client) == world.county_admin


def test_a_user_logs_in_with_their_phone_number(world):
    world.info_officer.phone = "13912345678"
    world.info_officer.save()
    client = Client()
    assert client.post(LOGIN, {"username": "13912345678", "password": "pw"}).status_code == 302
    assert logged_in_user(client) == world.info_officer


def test_a_wrong_password_shows_the_form_again(world):
    client = Client()
    response = client.post(LOGIN, {"username": "county_admin", "password": "nope"})
    assert response.status_code == 200
    assert not logged_in_user(client).is_authenticated


def test_five_failures_lock_the_account_even_against_the_right_password(world):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "county_admin", "password": "nope"})
    locked = client.post(LOGIN, {"username": "county_admin", "password": "pw"})
    assert locked.status_code == 429
    assert not logged_in_user(client).is_authenticated
    # Another account from the same address is not locked.
    assert Client().post(LOGIN, {"username": "triage", "password": "pw"}).status_code == 302


def test_the_token_endpoint_shares_the_lockout(world):
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": "expert", "password": "x"}).status_code for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 403]  # the fifth failure locks
    locked = client.post("/api/v1/auth/token/", {"username": "expert", "password": "pw"}, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 403
    assert "locked" in locked.json()["detail"]


def test_password_reset_sends_a_link_by_email(world):
    response = Client().post("/accounts/password-reset/", {"email": "county_admin@example.cn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["county_admin@example.cn"]
    assert "/accounts/password-reset/" in message.body


def test_password_reset_does_not_reveal_unknown_addresses(world):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_failures_by_phone_lock_the_account_for_its_username_too(world):
    world.county_admin.phone = "13912345670"
    world.county_admin.save()
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "13912345670", "password": "nope"})
    assert client.post(LOGIN, {"username": "county_admin", "password": "pw"}).status_code == 429
    assert not logged_in_user(client).is_authenticated


def test_a_locked_account_cannot_log_in_by_its_phone_number(world):
    world.county_admin.phone = "13912345670"
    world.county_admin.save()
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "county_admin", "password": "nope"})
    assert client.post(LOGIN, {"username": "13912345670", "password": "pw"}).status_code == 429
    assert not logged_in_user(client).is_authenticated
    token = APIClient().post("/api/v1/auth/token/", {"username": "13912345670", "password": "pw"})
    assert token.status_code == 403


def test_the_password_reset_link_uses_site_url_not_the_request_host(world, settings):
    settings.SITE_URL = "https://sciaid.example.cn"
    settings.ALLOWED_HOSTS = ["evil.example.com", "testserver"]
    response = Client().post(
        "/accounts/password-reset/", {"email": "county_admin@example.cn"}, HTTP_HOST="evil.example.com"
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "https://sciaid.example.cn/accounts/password-reset/" in message.body
    assert "evil.example.com" not in message.body
