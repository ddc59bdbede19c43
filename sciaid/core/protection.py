"""Why an object cannot be deleted: the database's refusal (a PROTECT or RESTRICT foreign key) said in words, the
same on pages (a form error) and in the API (a 409)."""

from __future__ import annotations

from collections import Counter

from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext

#: The refusals Django raises when something still refers to the object being deleted.
STILL_REFERRED = (ProtectedError, RestrictedError)


def still_referred(exc: ProtectedError | RestrictedError) -> str:
    """What still refers to the object and how many, e.g. "It cannot be deleted while other records refer to it:
    1 agreement, 3 demands." """
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    counts = Counter(type(obj) for obj in objects)
    named = sorted(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in counts.items()
    )
    return gettext("It cannot be deleted while other records refer to it: %(referrers)s.") % {
        "referrers": ", ".join(named)
    }
