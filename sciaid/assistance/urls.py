from django.urls import path

from sciaid.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.DemandListView.as_view(), name="demand-list"),
    path("new/", views.DemandSubmitView.as_view(), name="demand-create"),
    path("similar/", views.SimilarDemandsView.as_view(), name="similar"),
    path("queue/", views.TriageQueueView.as_view(), name="triage-queue"),
    path("inbox/", views.ExpertInboxView.as_view(), name="expert-inbox"),
    path("sla/", views.SlaPolicyView.as_view(), name="sla"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("knowledge/", views.KnowledgeListView.as_view(), name="knowledge-list"),
    path("knowledge/review/", views.KnowledgeReviewView.as_view(), name="knowledge-review"),
    path("knowledge/<int:pk>/", views.KnowledgeDetailView.as_view(), name="knowledge-detail"),
    path("knowledge/<int:pk>/<slug:action>/", views.KnowledgeActionView.as_view(), name="knowledge-action"),
    path("subsidies/", views.StatementListView.as_view(), name="statement-list"),
    path("subsidies/compute/", views.StatementComputeView.as_view(), name="statement-compute"),
    path("subsidies/<int:pk>/", views.StatementDetailView.as_view(), name="statement-detail"),
    path("subsidies/<int:pk>/<slug:action>/", views.StatementActionView.as_view(), name="statement-action"),
    path("<int:pk>/", views.DemandDetailView.as_view(), name="demand-detail"),
    path("<int:pk>/<slug:action>/", views.DemandActionView.as_view(), name="demand-action"),
]
