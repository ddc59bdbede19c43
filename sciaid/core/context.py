"""Who is acting now: set by the request middleware, by services for their acting user, and by jobs.

The audit log and the created_by/updated_by fields read it, so a write is attributed the same way whether it comes
from a page, the API, a management command or a Celery worker.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    request: Any = None

    @property
    def acting_user(self):
        # Read the request's user late: DRF authenticates token users inside the view and sets request.user then.
        return getattr(self.request, "user", None) if self.request is not None else self.user


_current: ContextVar[Actor | None] = ContextVar("sciaid_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


def current_user():
    actor = _current.get()
    user = actor.acting_user if actor else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@contextmanager
def acting_as(user=None, request_id: str | None = None, request=None):
    """Attribute every write inside the block to `user` (or to the request's user, read when the write happens)."""
    token = _current.set(Actor(user=user, request_id=request_id or uuid.uuid4().hex, request=request))
    try:
        yield
    finally:
        _current.reset(token)
