"""The self-inspection report's pages. Included by `sciaid/reports/urls.py` as
`path("self-inspection/", include("sciaid.reports.self_inspection.urls"))`; `services.si_reverse` finds the names
under the reports' namespace or on their own."""

from django.urls import path

from sciaid.reports.self_inspection import views

app_name = "self_inspection"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("preview/", views.PreviewView.as_view(), name="preview"),
    path("sections/<str:section>/", views.EditView.as_view(), name="edit"),
    path("download.<str:fmt>", views.DownloadView.as_view(), name="download"),
    path("jobs/", views.JobCreateView.as_view(), name="job-create"),
    path("jobs/<int:pk>/<str:fmt>/", views.JobFileView.as_view(), name="job-file"),
]
