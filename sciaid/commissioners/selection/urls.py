"""Pages of the yearly selection (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.selection import views

urlpatterns = [
    path("batches/", views.BatchListView.as_view(), name="batch-list"),
    path("batches/new/", views.BatchFormView.as_view(), name="batch-create"),
    path("batches/import/", views.RosterImportView.as_view(), name="roster-import"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch-detail"),
    path("batches/<int:pk>/apply/", views.BatchApplyView.as_view(), {"action": "apply"}, name="batch-apply"),
    path(
        "batches/<int:pk>/nominate/", views.BatchNominateView.as_view(), {"action": "nominate"}, name="batch-nominate"
    ),
    path("batches/<int:pk>/<str:action>/", views.BatchActionView.as_view(), name="batch-action"),
    path("candidates/", views.CandidateListView.as_view(), name="candidate-list"),
    path("candidates/<int:pk>/<str:action>/", views.CandidateActionView.as_view(), name="candidate-action"),
]
