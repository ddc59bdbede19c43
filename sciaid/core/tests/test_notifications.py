"""Notifications: inbox rows in the caller's transaction, email and SMS only after it commits, each user's own inbox."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciaid.core import sms
from sciaid.core.models import Notification
from sciaid.core.notifications import inbox_only, mark_read, notify


@pytest.fixture
def farmer(world):
    world.farmer.phone = "13905540001"
    world.farmer.save()
    return world.farmer


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# --- notify -----------------------------------------------------------------------------------------------------


def test_notify_writes_the_inbox_at_once_and_sends_only_after_commit(world, farmer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = notify([farmer, world.expert, farmer], title="Demand assigned", body="Expert Li", url="/d/1/", sms=True)
        assert inbox(farmer) == ["Demand assigned"]
        assert mail.outbox == [] and sms.outbox == []
    assert len(rows) == 2 and len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["expert@example.cn", "farmer@example.cn"]
    assert mail.outbox[0].subject == "Demand assigned"
    # Only the farmer has a mobile number.
    assert sms.outbox == [sms.SMS("13905540001", "Demand assigned Expert Li /d/1/")]


def test_nothing_is_written_or_sent_when_the_transaction_rolls_back(world, farmer, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([farmer], title="Demand assigned", sms=True)
        raise RuntimeError("the assignment was refused")
    assert callbacks == []
    assert inbox(farmer) == []
    assert mail.outbox == [] and sms.outbox == []


def test_email_and_sms_go_only_where_asked(world, farmer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([farmer], title="In the inbox only", email=False)
        notify([world.outsider], title="No address at all", sms=True)  # the outsider has neither email nor phone
    assert inbox(farmer) == ["In the inbox only"] and inbox(world.outsider) == ["No address at all"]
    assert mail.outbox == [] and sms.outbox == []


def test_links_in_messages_are_absolute_when_the_site_address_is_known(
    world, farmer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kjfp.example.cn/"
    with django_capture_on_commit_callbacks(execute=True):
        notify([farmer], title="Rate the service", url="/demands/7/", sms=True)
    assert "https://kjfp.example.cn/demands/7/" in mail.outbox[0].body
    assert sms.outbox[0].text.endswith("https://kjfp.example.cn/demands/7/")
    assert inbox(farmer) == ["Rate the service"]
    assert Notification.objects.get(recipient=farmer).url == "/demands/7/"


def test_with_celery_the_sending_is_handed_to_a_task(
    world, farmer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from sciaid.core import tasks

    handed = []
    monkeypatch.setattr(tasks.deliver_notification_task, "delay", lambda *args: handed.append(args))
    settings.JOBS_BACKEND = "celery"
    with django_capture_on_commit_callbacks(execute=True):
        notify([farmer], title="Demand assigned", sms=True)
    assert handed == [({"title": "Demand assigned", "body": "", "url": ""}, ["farmer@example.cn"], ["13905540001"])]
    assert mail.outbox == [] and sms.outbox == []
    tasks.deliver_notification_task(*handed[0])  # what the worker runs
    assert len(mail.outbox) == 1 and len(sms.outbox) == 1


def test_a_failing_sms_gateway_does_not_stop_the_email(world, farmer, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "sciaid.core.tests.test_notifications.BrokenGateway"
    with django_capture_on_commit_callbacks(execute=True):
        notify([farmer], title="Demand assigned", sms=True)
    assert len(mail.outbox) == 1


class BrokenGateway:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


# --- SMS backends -----------------------------------------------------------------------------------------------


class RecordingGateway:
    sent: list = []

    def send(self, phone, text):
        self.sent.append((phone, text))


def test_sms_backends_are_chosen_by_settings(settings, capsys, caplog):
    settings.SMS_BACKEND = "console"
    sms.send_sms("13905540001", "hello")
    assert capsys.readouterr().out == "SMS to 13905540001: hello\n"

    settings.SMS_BACKEND = "log"
    with caplog.at_level("INFO", logger="sciaid.sms"):
        sms.send_sms("13905540001", "hello")
    assert "hello" in caplog.text and "13905540001" not in caplog.text  # the number is masked in logs

    settings.SMS_BACKEND = "sciaid.core.tests.test_notifications.RecordingGateway"
    sms.send_sms("13905540001", "hello")
    assert RecordingGateway.sent == [("13905540001", "hello")]
    assert sms.outbox == []

    settings.SMS_BACKEND = "no.such.Gateway"
    with pytest.raises(ImproperlyConfigured):
        sms.send_sms("13905540001", "hello")


# --- the inbox page ---------------------------------------------------------------------------------------------


def test_the_inbox_shows_only_the_users_own_notifications_newest_first(world, farmer, client_for):
    notify([farmer], title="First", email=False)
    notify([farmer], title="Second", email=False)
    notify([world.expert, world.admin], title="Not yours", email=False)
    response = client_for("farmer").get(reverse("core:notification-list"))
    assert [n.title for n in response.context["object_list"]] == ["Second", "First"]
    assert b"Not yours" not in response.content
    # Not even a platform admin reads other people's inboxes.
    admin_page = client_for("admin").get(reverse("core:notification-list"))
    assert [n.title for n in admin_page.context["object_list"]] == ["Not yours"]


def test_the_inbox_is_paginated_and_filters_unread(world, farmer, client_for):
    notify([farmer], title="Old", email=False)
    mark_read(farmer)
    for i in range(30):
        notify([farmer], title=f"Notice {i}", email=False)
    client = client_for("farmer")
    first = client.get(reverse("core:notification-list"))
    assert first.context["paginator"].count == 31 and len(first.context["object_list"]) == 25
    assert first.context["object_list"][0].title == "Notice 29"
    unread = client.get(reverse("core:notification-list"), {"unread": "true"})
    assert unread.context["paginator"].count == 30


def test_marking_one_read_and_opening_its_link(world, farmer, client_for):
    (first,) = notify([farmer], title="First", url="/demands/1/", email=False)
    (second,) = notify([farmer], title="Second", email=False)
    client = client_for("farmer")
    response = client.post(reverse("core:notification-read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/demands/1/"
    first.refresh_from_db(), second.refresh_from_db()
    assert first.is_read and not second.is_read
    response = client.post(reverse("core:notification-read", args=[second.pk]))
    assert response["Location"] == reverse("core:notification-list")


def test_an_outside_link_is_never_followed(world, farmer, client_for):
    (notice,) = notify([farmer], title="Phish", url="https://evil.example.com/", email=False)
    response = client_for("farmer").post(reverse("core:notification-read", args=[notice.pk]), {"open": "1"})
    assert response["Location"] == reverse("core:notification-list")


def test_nobody_marks_someone_elses_notification(world, farmer, client_for):
    (notice,) = notify([farmer], title="Yours", email=False)
    assert client_for("admin").post(reverse("core:notification-read", args=[notice.pk])).status_code == 404
    assert client_for("admin").get(reverse("core:notification-read", args=[notice.pk])).status_code == 405
    assert mark_read(world.admin, [notice.pk]) == 0
    notice.refresh_from_db()
    assert not notice.is_read


def test_mark_all_read(world, farmer, client_for):
    notify([farmer], title="One", email=False)
    notify([farmer], title="Two", email=False)
    notify([world.expert], title="Not yours", email=False)
    client_for("farmer").post(reverse("core:notification-read-all"))
    assert not Notification.objects.filter(recipient=farmer, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.expert, read_at__isnull=True).count() == 1


# --- the unread count in the top bar ----------------------------------------------------------------------------


def notification_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "core_notification" in q["sql"]]


def test_the_top_bar_shows_the_unread_count_with_one_query(world, farmer, client_for):
    notify([farmer], title="One", email=False)
    notify([farmer], title="Two", email=False)
    client = client_for("farmer")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home"))
    assert page.status_code == 200
    assert len(notification_queries(queries.captured_queries)) == 1
    assert b"<strong>2</strong>" in page.content
    mark_read(farmer)
    assert b"<strong>" not in client.get(reverse("home")).content.split(b"</header>")[0]


def test_anonymous_pages_cost_no_notification_query(db, client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:login")).status_code == 200
    assert notification_queries(queries.captured_queries) == []


# --- API --------------------------------------------------------------------------------------------------------


def test_api_lists_own_notifications_and_marks_them_read(world, farmer, api_for):
    (first,) = notify([farmer], title="First", email=False)
    notify([farmer], title="Second", email=False)
    (other,) = notify([world.expert], title="Not yours", email=False)
    client = api_for("farmer")
    listed = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in listed["results"]] == ["Second", "First"]

    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404

    read = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()
    assert [n["title"] for n in unread["results"]] == ["Second"]

    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0
    other.refresh_from_db()
    assert not other.is_read


def test_api_list_query_count_does_not_grow_with_the_page(world, farmer, api_for, django_assert_max_num_queries):
    for i in range(40):
        notify([farmer], title=f"Notice {i}", email=False)
    client = api_for("farmer")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/notifications/", {"page_size": 2})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/notifications/", {"page_size": 40})


def test_inbox_only_writes_the_inbox_and_sends_nothing(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), inbox_only():
        notify([world.county_admin], title="Demo notice", sms=True)
    assert Notification.objects.filter(recipient=world.county_admin, title="Demo notice").exists()
    assert mailoutbox == []
