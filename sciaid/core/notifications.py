"""Telling users something happened: a row in their in-app inbox, and optionally an email and a text message.

    notify(recipients, title=..., body=..., url=..., kind="demand.assigned", sms=True)

Call it from inside a service function's transaction. The inbox rows are written in that transaction; email and SMS
go out only once it commits (`transaction.on_commit`), so a refused or rolled-back change sends nothing. With
JOBS_BACKEND=celery a Celery task sends them; otherwise they are sent in the committing process.

Language: `title` and `body` are stored and sent exactly as given. The caller renders them in the recipient's
language — e.g. `with translation.override(language): title = gettext("Demand %(n)s assigned") % ...` — and calls
`notify` once per language group. Users carry no language preference yet, so most callers pass the text in the
language of the current request (or the default, Chinese, in jobs).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from sciaid.core.models import Notification
from sciaid.core.services import service
from sciaid.core.sms import send_sms

logger = logging.getLogger(__name__)

#: Text messages are cut here (a few SMS segments of Chinese text).
SMS_MAX_CHARS = 200


def notify(
    recipients: Iterable,
    *,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "",
    email: bool = True,
    sms: bool = False,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and schedule the email / SMS copies; returns the inbox rows.

    recipients: users (a queryset or any iterable; duplicates and inactive users are skipped).
    title, body: already-translated text. url: a link inside the site ("/demands/12/"), shown in the inbox and made
        absolute with settings.SITE_URL in email and SMS. kind: a dotted code for filtering ("demand.assigned").
    email: also email the recipients who have an address. sms: also text those who have a mobile number.
    """
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title, body=body, url=url, kind=kind) for user in users.values()]
    )
    email_to = [user.email for user in users.values() if email and user.email]
    sms_to = [user.phone for user in users.values() if sms and user.phone]
    if email_to or sms_to:
        message = {"title": title, "body": body, "url": url}
        transaction.on_commit(lambda: _dispatch(message, email_to, sms_to), robust=True)
    return rows


def _dispatch(message: dict, email_to: list[str], sms_to: list[str]) -> None:
    if settings.JOBS_BACKEND == "celery":
        from sciaid.core.tasks import deliver_notification_task

        deliver_notification_task.delay(message, email_to, sms_to)
    else:
        deliver(message, email_to, sms_to)


def deliver(message: dict, email_to: list[str], sms_to: list[str]) -> None:
    """Send one notification's email and SMS copies; one failed address is logged and does not stop the others.

    Each recipient gets their own email, so nobody learns the others' addresses.
    """
    link = absolute_url(message["url"])
    if email_to:
        text = "\n\n".join(part for part in (message["body"], link) if part)
        emails = [EmailMessage(message["title"], text, to=[address]) for address in email_to]
        with get_connection(fail_silently=False) as connection:
            for mail in emails:
                try:
                    connection.send_messages([mail])
                except Exception:
                    logger.exception("notification email to %s failed", mail.to[0])
    text = " ".join(part for part in (message["title"], message["body"], link) if part)[:SMS_MAX_CHARS]
    for phone in sms_to:
        try:
            send_sms(phone, text)
        except Exception:
            logger.exception("notification SMS failed")


def absolute_url(url: str) -> str:
    """A site-relative link made absolute for messages read outside the site (email, SMS)."""
    if not url or "://" in url:
        return url
    return settings.SITE_URL.rstrip("/") + url if settings.SITE_URL else url


@service
def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread notifications read — those with these ids, or all of them; returns how many.

    Only the user's own inbox is touched, whatever their role, so ids of other people's notifications do nothing.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def unread_count(user) -> int:
    """How many unread notifications the user has: one indexed count query."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


__all__ = ["absolute_url", "deliver", "mark_read", "notify", "unread_count"]
