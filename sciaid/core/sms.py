"""Text messages through a backend chosen by settings.SMS_BACKEND, so a real gateway plugs in without code changes.

    "console"  prints one line per message to standard output (development)
    "log"      writes one line per message to the "sciaid.sms" logger, with the number masked
    "locmem"   appends `SMS(phone, text)` to `sciaid.core.sms.outbox` (tests)
    "pkg.module.Class"  any class with `send(phone, text)`, constructed without arguments (a real gateway)

A backend raises on failure; the caller decides whether that stops anything (notifications log it and go on).
"""

from __future__ import annotations

import logging
import sys
from typing import NamedTuple, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from sciaid.core.privacy import mask_phone

logger = logging.getLogger("sciaid.sms")


class SMS(NamedTuple):
    phone: str
    text: str


#: Messages sent with the "locmem" backend, oldest first; tests clear it.
outbox: list[SMS] = []


class Backend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        print(f"SMS to {phone}: {text}", file=sys.stdout, flush=True)


class LogBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


class LocmemBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append(SMS(phone, text))


BACKENDS: dict[str, type] = {"console": ConsoleBackend, "log": LogBackend, "locmem": LocmemBackend}


def get_backend() -> Backend:
    """The backend settings name, read at each call so that tests may change the setting."""
    name = settings.SMS_BACKEND
    if name in BACKENDS:
        return BACKENDS[name]()
    try:
        return import_string(name)()
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"SMS_BACKEND must be console, log, locmem or the dotted path of a class; {name!r} is not."
        ) from exc


def send_sms(phone: str, text: str) -> None:
    """Send one text message to one mobile number."""
    get_backend().send(phone, text)


__all__ = ["SMS", "get_backend", "outbox", "send_sms"]
