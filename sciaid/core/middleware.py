"""Request-wide mechanisms: the acting user for the audit log, and deny-by-default jurisdiction for every view."""

import logging
import uuid

from django.core.exceptions import PermissionDenied

from sciaid.core.context import acting_as
from sciaid.core.scoping import view_scoping

logger = logging.getLogger(__name__)


class RequestContextMiddleware:
    """Puts the request's user and a request id in the audit context and refuses views that declare no scoping."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        with acting_as(request_id=request.id, request=request):
            response = self.get_response(request)
        response.headers.setdefault("X-Request-Id", request.id)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_scoping(view_func, request) is None:
            logger.error("%s declares no jurisdiction scoping; refused.", getattr(view_func, "__qualname__", view_func))
            raise PermissionDenied
        return None
