"""Pages of the commissioner reports (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.statistics import views

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
]
