"""The NUL character is refused at the door: in a query string, a form (urlencoded or multipart) or a JSON body.

PostgreSQL cannot store U+0000 in text (a DataError, so a 500) and cannot compare with it in a query. Django's and
DRF's CharFields refuse it (ProhibitNullCharactersValidator), but not JSON fields, keys of objects, query
parameters read outside a form, or values a service derives from them; checking the request once covers every one
of them, present and future.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext

NUL = "\x00"
#: Bodies parsed here; others (files, spreadsheets) are read by their own checks.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_TYPE = "application/json"


def holds_nul(value) -> bool:
    """Whether a parsed value (text, or lists and objects of them, keys included) contains a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


def _query_holds_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def _json_holds_nul(request: HttpRequest) -> bool:
    try:
        return holds_nul(json.loads(request.body))
    except ValueError:
        # Not JSON after all: the API's parser answers that with its own 400.
        return False


def request_holds_nul(request: HttpRequest) -> bool:
    """Whether the query string or a form or JSON body of `request` contains a NUL anywhere."""
    if _query_holds_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type in FORM_TYPES:
        return _query_holds_nul(request.POST)
    if content_type == JSON_TYPE or content_type.endswith("+json"):
        return _json_holds_nul(request)
    return False


class RefuseNulMiddleware:
    """Answer 400 to a request carrying a NUL: a structured body for the API (`{detail, code: "nul_character"}`),
    a plain message for pages. Nothing of the request is processed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_holds_nul(request):
            detail = gettext("Text may not contain the NUL character (U+0000); remove it and send again.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "code": "nul_character"}, status=400)
            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
