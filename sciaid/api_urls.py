"""The REST API under /api/v1/: one router, each app registering its viewsets."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from sciaid.accounts.api import ObtainTokenView, RoleGrantViewSet, UserViewSet
from sciaid.core.scoping import PUBLIC
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
router.register("users", UserViewSet, basename="user")
router.register("grants", RoleGrantViewSet, basename="grant")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
