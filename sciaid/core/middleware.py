"""Request-wide mechanisms: the acting user for the audit log, deny-by-default jurisdiction for every view, and the
security headers every answer carries."""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control

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


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Pages speak Chinese unless the URL starts with /en/; the API follows the client's Accept-Language.

    Django picks the default language for every URL once i18n_patterns hides the default prefix, which would make
    API error messages Chinese for every client; programs say which language they want in the header instead.
    """

    def process_request(self, request):
        if not request.path_info.startswith(settings.API_PATH_PREFIX):
            return super().process_request(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer, and `Cache-Control: private, no-store` on what a login or token
    opened (pages, API answers, exports: they may hold ID and phone numbers, which must not stay in a browser's or a
    proxy's cache). A response that chose its own caching (a stored photo, a public page) keeps it.

    A visitor without a session cookie is anonymous without asking the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if "Cache-Control" not in response and self._personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _personal(request) -> bool:
        if request.path_info.startswith(settings.API_PATH_PREFIX) or request.headers.get("Authorization"):
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        return bool(getattr(request, "user", None) and request.user.is_authenticated)
