"""The REST API under /api/v1/: one router, each app registering its viewsets."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from sciaid.accounts.api import ObtainTokenView, RoleGrantViewSet, UserViewSet
from sciaid.achievements.api import AchievementViewSet, TechnologyNeedViewSet, TransferViewSet
from sciaid.assistance.api import DemandViewSet, KnowledgeEntryViewSet, SubsidyStatementViewSet
from sciaid.assistance.report_views import AssistanceReportView
from sciaid.commissioners.agreements.api import AgreementViewSet
from sciaid.commissioners.allocation.api import AllocationRuleViewSet
from sciaid.commissioners.appraisals.api import AppraisalRubricViewSet, AppraisalViewSet
from sciaid.commissioners.logs.api import ServiceLogViewSet
from sciaid.commissioners.selection.api import BatchViewSet
from sciaid.commissioners.statistics.api import CommissionerReportView
from sciaid.commissioners.teams.api import TeamViewSet
from sciaid.commissioners.workstations.api import WorkstationViewSet
from sciaid.core.api_views import NotificationViewSet
from sciaid.core.scoping import PUBLIC
from sciaid.demonstration.api import DemoSiteViewSet, SiteFiguresViewSet
from sciaid.experts.api import ExpertViewSet, PairingViewSet, SpecialtyViewSet
from sciaid.funds.api import AllocationViewSet, BudgetViewSet, ExpenditureViewSet, FundSourceViewSet
from sciaid.information.api import MarketPriceViewSet, NewsViewSet
from sciaid.market.api import (
    BuyerViewSet,
    CertificateViewSet,
    MarketReportView,
    OrderViewSet,
    PaymentViewSet,
    ProductViewSet,
    QuotaViewSet,
    SupplierViewSet,
)
from sciaid.projects.api import CallViewSet, InspectionViewSet, ProjectViewSet, RectificationViewSet, ReviewViewSet
from sciaid.regions.api import AreaViewSet, CadrePairingViewSet, HouseholdViewSet, VisitViewSet
from sciaid.reports.api import IndicatorsView
from sciaid.reports.self_inspection.api import SelfInspectionJobView, SelfInspectionView
from sciaid.training.api import (
    AttendanceViewSet,
    FeedbackViewSet,
    RegistrationViewSet,
    TrainingEventViewSet,
    TrainingReportView,
)
from sciaid.training.articles.api import ArticleViewSet
from sciaid.training.portal.api import KnowledgeSearchView


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
router.register("knowledge", KnowledgeEntryViewSet, basename="knowledge")
router.register("subsidy-statements", SubsidyStatementViewSet, basename="subsidy-statement")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("workstations", WorkstationViewSet, basename="workstation")
router.register("appraisals", AppraisalViewSet, basename="appraisal")
router.register("appraisal-rubrics", AppraisalRubricViewSet, basename="appraisal-rubric")
router.register("allocation-rules", AllocationRuleViewSet, basename="allocation-rule")
router.register("fund-sources", FundSourceViewSet, basename="fund-source")
router.register("budgets", BudgetViewSet, basename="budget")
router.register("allocations", AllocationViewSet, basename="allocation")
router.register("expenditures", ExpenditureViewSet, basename="expenditure")
router.register("calls", CallViewSet, basename="call")
router.register("projects", ProjectViewSet, basename="project")
router.register("reviews", ReviewViewSet, basename="review")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("batches", BatchViewSet, basename="batch")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("service-logs", ServiceLogViewSet, basename="service-log")
router.register("teams", TeamViewSet, basename="team")
router.register("trainings", TrainingEventViewSet, basename="training")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("training-feedback", FeedbackViewSet, basename="training-feedback")
router.register("news", NewsViewSet, basename="news")
router.register("market-prices", MarketPriceViewSet, basename="market-price")
router.register("articles", ArticleViewSet, basename="article")
router.register("achievements", AchievementViewSet, basename="achievement")
router.register("technology-needs", TechnologyNeedViewSet, basename="technology-need")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("products", ProductViewSet, basename="product")
router.register("buyers", BuyerViewSet, basename="buyer")
router.register("quotas", QuotaViewSet, basename="quota")
router.register("orders", OrderViewSet, basename="order")
router.register("payments", PaymentViewSet, basename="payment")
router.register("demo-sites", DemoSiteViewSet, basename="demo-site")
router.register("site-figures", SiteFiguresViewSet, basename="site-figures")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("reports/assistance/", AssistanceReportView.as_view(), name="report-assistance"),
    path("reports/commissioners/", CommissionerReportView.as_view(), name="report-commissioners"),
    path("reports/training/", TrainingReportView.as_view(), name="report-training"),
    path("reports/market/", MarketReportView.as_view(), name="report-market"),
    path("knowledge-search/", KnowledgeSearchView.as_view(), name="knowledge-search"),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("self-inspection/", SelfInspectionView.as_view(), name="self-inspection"),
    path("self-inspection/<int:pk>/", SelfInspectionJobView.as_view(), name="self-inspection-detail"),
    *router.urls,
]
