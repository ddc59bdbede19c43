"""The decorator every service function wears: one transaction, and writes attributed to the acting user."""

import functools

from django.db import transaction

from sciaid.core.context import acting_as, current_actor


def service(func):
    """Run `func(user, ...)` atomically, attributing its writes (audit log, created_by) to `user`.

    Inside a request the request id is kept, so one page action's audit entries can be found together.
    """

    @functools.wraps(func)
    def wrapper(user, *args, **kwargs):
        actor = current_actor()
        with transaction.atomic(), acting_as(user, request_id=actor.request_id if actor else None):
            return func(user, *args, **kwargs)

    return wrapper
