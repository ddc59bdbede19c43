"""`/healthz` for the load balancer: can this process serve? Database, cache, job broker and media storage, each
"ok" or "failing"; 200 when all are, 503 naming the failing part otherwise.

No login, no session, no query beyond `SELECT 1`, and no error text in the answer (a driver's message can hold a
host name or a user name): the cause goes to the log.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from sciaid.core.scoping import public_view

logger = logging.getLogger(__name__)

OK = "ok"
FAILING = "failing"
NOT_USED = "not used"
#: Seconds the broker check waits for Redis before calling it failing.
BROKER_TIMEOUT = 2


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    """Write, read and delete a key: Redis when REDIS_URL is set, the process's own memory otherwise."""
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def check_broker() -> str:
    """The Celery broker, when jobs go to Celery; `not used` when they run in the web process."""
    if settings.JOBS_BACKEND != "celery":
        return NOT_USED
    from sciaid.celery import app

    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    return OK


def check_media() -> None:
    """Write a byte into MEDIA_ROOT and remove it: uploads and job results need a writable, not full, disk."""
    # The storage makes the folder on the first upload; so may the check, on a fresh machine.
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".healthz-") as probe:
        probe.write(b"1")
        probe.flush()


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "media": check_media,
}


def health() -> dict[str, str]:
    """Each part's state; the exception of a failing one is logged, never returned."""
    states = {}
    for name, check in CHECKS.items():
        try:
            states[name] = check() or OK
        except Exception:
            logger.exception("health check: %s is failing", name)
            states[name] = FAILING
    return states


@public_view
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    states = health()
    status = 503 if FAILING in states.values() else 200
    response = JsonResponse(states, status=status)
    response["Cache-Control"] = "no-store"
    return response
