"""Pages of the commissioners app."""

from django.urls import path

from sciaid.commissioners import views
from sciaid.commissioners.yearly_urls import urlpatterns as yearly_urlpatterns

app_name = "commissioners"
urlpatterns: list = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("alerts/", views.AlertsView.as_view(), name="alerts"),
    path("batches/", views.BatchListView.as_view(), name="batch-list"),
    path("batches/new/", views.BatchFormView.as_view(), name="batch-create"),
    path("batches/import/", views.RosterImportView.as_view(), name="roster-import"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/<str:action>/", views.BatchActionView.as_view(), name="batch-action"),
    path("candidates/", views.CandidateListView.as_view(), name="candidate-list"),
    path("candidates/<int:pk>/<str:action>/", views.CandidateActionView.as_view(), name="candidate-action"),
    path("teams/", views.TeamListView.as_view(), name="team-list"),
    path("teams/new/", views.TeamFormView.as_view(), name="team-create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team-detail"),
    path("teams/<int:pk>/edit/", views.TeamFormView.as_view(), name="team-edit"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/new/", views.AgreementFormView.as_view(), name="agreement-create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.AgreementFormView.as_view(), name="agreement-edit"),
    path("agreements/<int:pk>/scan/", views.AgreementScanView.as_view(), name="agreement-scan"),
    path("agreements/<int:pk>/<str:action>/", views.AgreementActionView.as_view(), name="agreement-action"),
    path("logs/", views.ServiceLogListView.as_view(), name="log-list"),
    path("logs/new/", views.ServiceLogFormView.as_view(), name="log-create"),
    path("logs/import/", views.LogImportView.as_view(), name="log-import"),
    path("logs/<int:pk>/", views.ServiceLogDetailView.as_view(), name="log-detail"),
    path("logs/<int:pk>/edit/", views.ServiceLogFormView.as_view(), name="log-edit"),
    path("logs/<int:pk>/<str:action>/", views.ServiceLogActionView.as_view(), name="log-action"),
    path("log-photos/<int:pk>/", views.LogPhotoView.as_view(), name="log-photo"),
]
# The commissioners' year: allocation rule, appraisal, workstations.
urlpatterns += yearly_urlpatterns
