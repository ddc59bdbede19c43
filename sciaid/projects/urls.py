"""Pages of the projects app, under /projects/."""

from django.urls import path

from sciaid.projects.views import calls, declarations, projects, reviews, supervision

app_name = "projects"
urlpatterns = [
    path("", projects.ProjectListView.as_view(), name="project-list"),
    path("calls/", calls.CallListView.as_view(), name="call-list"),
    path("calls/new/", calls.CallCreateView.as_view(), name="call-create"),
    path("calls/<int:pk>/", calls.CallDetailView.as_view(), name="call-detail"),
    path("calls/<int:pk>/declare/", declarations.DeclareView.as_view(), name="declare"),
    path("reviews/", reviews.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", reviews.ReviewView.as_view(), name="review-detail"),
    path("inspections/", supervision.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/draw/", supervision.DrawView.as_view(), name="inspection-draw"),
    path("inspections/<int:pk>/", supervision.InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/<slug:action>/", supervision.InspectionActionView.as_view(), name="inspection-action"),
    path("findings/<int:pk>/", supervision.FindingView.as_view(), name="finding"),
    path("public/inspections/", supervision.PublicInspectionListView.as_view(), name="public-inspections"),
    path("public/inspections/<int:pk>/", supervision.PublicInspectionView.as_view(), name="public-inspection"),
    path("rectifications/", supervision.RectificationListView.as_view(), name="rectification-list"),
    path("rectifications/<int:pk>/", supervision.RectificationDetailView.as_view(), name="rectification-detail"),
    path("rectifications/<int:pk>/evidence/", supervision.EvidenceFileView.as_view(), name="evidence-file"),
    path(
        "rectifications/<int:pk>/<slug:action>/",
        supervision.RectificationActionView.as_view(),
        name="rectification-action",
    ),
    path("attachments/<int:pk>/", declarations.AttachmentFileView.as_view(), name="attachment-file"),
    path("<int:pk>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/<slug:step>/", declarations.DraftStepView.as_view(), name="project-edit"),
    path("<int:pk>/<slug:action>/", projects.ProjectActionView.as_view(), name="project-action"),
]
