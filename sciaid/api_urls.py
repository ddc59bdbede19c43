"""The REST API under /api/v1/: one router, each app registering its viewsets."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from sciaid.accounts.api import ObtainTokenView, RoleGrantViewSet, UserViewSet
from sciaid.assistance.api import DemandViewSet
from sciaid.assistance.report_views import AssistanceReportView
from sciaid.core.api_views import NotificationViewSet
from sciaid.core.scoping import PUBLIC
from sciaid.experts.api import ExpertViewSet, PairingViewSet, SpecialtyViewSet
from sciaid.regions.api import AreaViewSet, CadrePairingViewSet, HouseholdViewSet, VisitViewSet


class RootView(APIRootView):
    """The list of endpoints: it names resources, not data."""

    scoping = PUBLIC


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("areas", AreaViewSet, basename="area")
router.register("households", HouseholdViewSet, basename="household")
router.register("cadre-pairings", CadrePairingViewSet, basename="cadre-pairing")
router.register("cadre-visits", VisitViewSet, basename="cadre-visit")
router.register("experts", ExpertViewSet, basename="expert")
router.register("specialties", SpecialtyViewSet, basename="specialty")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("users", UserViewSet, basename="user")
router.register("grants", RoleGrantViewSet, basename="grant")
router.register("demands", DemandViewSet, basename="demand")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("reports/assistance/", AssistanceReportView.as_view(), name="report-assistance"),
    *router.urls,
]
