"""Pages of workstations (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.workstations import views

urlpatterns = [
    path("workstations/", views.WorkstationListView.as_view(), name="workstation-list"),
    path("workstations/apply/", views.WorkstationApplyView.as_view(), name="workstation-apply"),
    path("workstations/<int:pk>/", views.WorkstationDetailView.as_view(), name="workstation-detail"),
    path("workstations/<int:pk>/report/", views.WorkstationActivityView.as_view(), name="workstation-report"),
    path("workstations/<int:pk>/<slug:action>/", views.WorkstationActionView.as_view(), name="workstation-action"),
]
