"""What a request gets when the server fails: a page for people, JSON for programs, and never a traceback.

Django calls `server_error` (handler500) for every exception nothing else handled, inside the `except` block, so
the exception is still in `sys.exc_info()`. A database that cannot be reached (connection refused, dropped, locked
too long) is the one failure people can do something about — wait and try again — so it gets 503 with
`Retry-After`; an upload the disk could not take (full, read-only) gets 507 where no form showed it; everything
else gets 500. The pages render without a request context: no context processor runs, so no session, user, menu or
notification query touches the database that just failed.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from sciaid.core.files import StorageFailed

#: Seconds a client is asked to wait before trying again when the database is unavailable.
RETRY_AFTER_SECONDS = 30
#: Exceptions that mean the database could not answer, not that the request was wrong.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` (or what it was raised from) says the database could not be reached."""
    while error is not None:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
    return False


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(settings.API_PATH_PREFIX)


def _json(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def _page(template: str, status: int) -> HttpResponse:
    return HttpResponse(loader.get_template(template).render(), status=status)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a translated page, or `{detail, code}` under /api/."""
    if is_api(request):
        response = _json(
            503, _("The database is unavailable at the moment; nothing was saved. Try again shortly."), "unavailable"
        )
    else:
        response = _page("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def storage_failed_response(request: HttpRequest, error: StorageFailed) -> HttpResponse:
    """507 for an upload the server could not write, where no form was there to show it."""
    if is_api(request):
        return _json(507, error.messages[0], "storage_failed")
    return _page("507.html", 507)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 when the database is unavailable, else 500; JSON for the API, a page for people."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        return unavailable_response(request)
    if isinstance(error, StorageFailed):
        return storage_failed_response(request, error)
    if is_api(request):
        return _json(500, _("The server could not finish this request; nothing was saved."), "server_error")
    return _page("500.html", 500)
