"""Pages of the yearly appraisal (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.appraisals import views

urlpatterns = [
    path("appraisals/", views.AppraisalRubricListView.as_view(), name="appraisal-list"),
    path("appraisals/rubric/", views.AppraisalRubricFormView.as_view(), name="appraisal-rubric-form"),
    path("appraisals/mine/", views.MyAppraisalsView.as_view(), name="appraisal-mine"),
    path("appraisals/<int:pk>/", views.AppraisalRubricDetailView.as_view(), name="appraisal-rubric"),
    path(
        "appraisals/<int:pk>/<slug:action>/",
        views.AppraisalRubricActionView.as_view(),
        name="appraisal-rubric-action",
    ),
    path("appraisals/sheets/", views.AppraisalListView.as_view(), name="appraisal-sheets"),
    path("appraisals/sheets/<int:pk>/", views.AppraisalDetailView.as_view(), name="appraisal-detail"),
    path(
        "appraisals/sheets/<int:pk>/score/",
        views.AppraisalScoreView.as_view(),
        {"action": "score"},
        name="appraisal-score",
    ),
]
