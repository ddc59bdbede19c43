"""The dashboard, under /reports/, and the self-inspection report under /reports/self-inspection/."""

from django.urls import include, path

from sciaid.reports.views.dashboard import DashboardView

app_name = "reports"

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("self-inspection/", include("sciaid.reports.self_inspection.urls")),
]
