"""Telling users something happened: a row in their in-app inbox, and optionally an email and a text message.

    notify(recipients, title=..., body=..., url=..., kind="demand.assigned", sms=True)

Call it from inside a service function's transaction. The inbox rows are written in that transaction; email and SMS
go out only once it commits (`transaction.on_commit`), so a refused or rolled-back change sends nothing. With
JOBS_BACKEND=celery a Celery task sends them; otherwise they are sent in the committing process.

Language: each recipient reads the notification in their own language (`User.language`, kept when they use the
language switch; the platform default, Chinese, otherwise) — never in the language of whoever caused it. Pass
`title` and `body` as lazy translations (`gettext_lazy`) or as functions returning text (for formatted messages);
they are rendered once per language group. Plain strings (user content) are sent as they are.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from sciaid.core.models import Notification
from sciaid.core.services import service
from sciaid.core.sms import send_sms

logger = logging.getLogger(__name__)

#: Text messages are cut here (a few SMS segments of Chinese text).
SMS_MAX_CHARS = 200
#: Set while inbox rows are written for made-up people (the demo), whose addresses must never get mail.
_inbox_only: ContextVar[bool] = ContextVar("inbox_only", default=False)


@contextmanager
def inbox_only():
    """Notify in the inbox only, sending no email or SMS: for data built in bulk, such as the demo counties."""
    token = _inbox_only.set(True)
    try:
        yield
    finally:
        _inbox_only.reset(token)


Text = str | Promise | Callable[[], str]


def recipient_language(user) -> str:
    """The language the user chose when the site offers it, else the platform's default (Chinese)."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render(text: Text) -> str:
    """A lazy translation or a function returning text, rendered in the active language."""
    return str(text() if callable(text) else text)


def notify(
    recipients: Iterable,
    *,
    title: Text,
    body: Text = "",
    url: str = "",
    kind: str = "",
    email: bool = True,
    sms: bool = False,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and schedule the email / SMS copies; returns the inbox rows.

    recipients: users (a queryset or any iterable; duplicates and inactive users are skipped).
    title, body: lazy translations or functions returning text, rendered in each recipient's language; or plain
        text sent as it is. url: a link inside the site ("/demands/12/"), shown in the inbox and made absolute with
        settings.SITE_URL in email and SMS. kind: a dotted code for filtering ("demand.assigned").
    email: also email the recipients who have an address. sms: also text those who have a mobile number.
    """
    groups: dict[str, dict] = defaultdict(dict)
    for user in recipients:
        if user is not None and user.is_active:
            groups[recipient_language(user)][user.pk] = user
    rows = []
    for language, users in sorted(groups.items()):
        with translation.override(language):
            rows += _notify_group(users.values(), render(title), render(body), url, kind, email, sms)
    return rows


def _notify_group(users, title: str, body: str, url: str, kind: str, email: bool, sms: bool) -> list[Notification]:
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title, body=body, url=url, kind=kind) for user in users]
    )
    email_to = [user.email for user in users if email and user.email and not _inbox_only.get()]
    sms_to = [user.phone for user in users if sms and user.phone and not _inbox_only.get()]
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


__all__ = [
    "absolute_url",
    "deliver",
    "inbox_only",
    "mark_read",
    "notify",
    "recipient_language",
    "render",
    "unread_count",
]
