"""The expert-assistance statistics page, under /assistance/statistics/."""

from django.urls import path

from sciaid.assistance.report_views import StatisticsView

app_name = "assistance_reports"

urlpatterns = [
    path("", StatisticsView.as_view(), name="statistics"),
]
