"""Top-level URLs: HTML pages (Chinese by default, English under /en/), the API, its schema and docs."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.permissions import IsAuthenticated

from sciaid.accounts.views import choose_language
from sciaid.core import portal
from sciaid.core.health import healthz
from sciaid.core.scoping import PUBLIC
from sciaid.core.views import HomeView
from sciaid.regions.portal import PortalView


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema describes endpoints, not data (no jurisdiction scoping), but only to users who log in or
    send a token: it maps the whole attack surface."""

    scoping = PUBLIC
    permission_classes = [IsAuthenticated]


class DocsView(LoginRequiredMixin, SpectacularRedocView):
    """Redoc, vendored by drf-spectacular-sidecar: one script a third the weight of Swagger UI's, no CDN, no web
    fonts, no inline script (the Content-Security-Policy allows none). Anonymous visitors are sent to log in."""

    scoping = PUBLIC
    template_name = "api/docs.html"


handler500 = "sciaid.core.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", choose_language, name="set_language"),
    path("api/v1/", include("sciaid.api_urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("sitemap.xml", portal.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", portal.sitemap_section, name="sitemap-section"),
    path("robots.txt", portal.robots_txt, name="robots"),
]
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(public_view=PortalView.as_view()), name="home"),
    path("", include("sciaid.regions.portal_urls")),
    path("qa/", include("sciaid.assistance.public_urls")),
    path("", include("sciaid.core.urls")),
    path("accounts/", include("sciaid.accounts.urls")),
    path("regions/", include("sciaid.regions.urls")),
    path("experts/", include("sciaid.experts.urls")),
    path("assistance/statistics/", include("sciaid.assistance.report_urls")),
    path("demands/", include("sciaid.assistance.urls")),
    path("funds/", include("sciaid.funds.urls")),
    path("news/", include("sciaid.information.urls")),
    path("projects/", include("sciaid.projects.urls")),
    path("commissioners/", include("sciaid.commissioners.urls")),
    path("training/", include("sciaid.training.urls")),
    path("achievements/", include("sciaid.achievements.urls")),
    path("market/", include("sciaid.market.urls")),
    path("demonstration/", include("sciaid.demonstration.urls")),
    path("reports/", include("sciaid.reports.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
