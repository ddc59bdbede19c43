"""Pages of the projects app, under /projects/."""

from django.urls import path

from sciaid.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path("calls/", views.CallListView.as_view(), name="call-list"),
    path("calls/new/", views.CallCreateView.as_view(), name="call-create"),
    path("calls/<int:pk>/", views.CallDetailView.as_view(), name="call-detail"),
    path("calls/<int:pk>/declare/", views.DeclareView.as_view(), name="declare"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review-detail"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/draw/", views.DrawView.as_view(), name="inspection-draw"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/<slug:action>/", views.InspectionActionView.as_view(), name="inspection-action"),
    path("findings/<int:pk>/", views.FindingView.as_view(), name="finding"),
    path("public/inspections/", views.PublicInspectionListView.as_view(), name="public-inspections"),
    path("public/inspections/<int:pk>/", views.PublicInspectionView.as_view(), name="public-inspection"),
    path("rectifications/", views.RectificationListView.as_view(), name="rectification-list"),
    path("rectifications/<int:pk>/", views.RectificationDetailView.as_view(), name="rectification-detail"),
    path(
        "rectifications/<int:pk>/<slug:action>/",
        views.RectificationActionView.as_view(),
        name="rectification-action",
    ),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/<slug:step>/", views.DraftStepView.as_view(), name="project-edit"),
    path("<int:pk>/<slug:action>/", views.ProjectActionView.as_view(), name="project-action"),
]
