"""Pages of service teams (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.teams import views

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team-list"),
    path("teams/new/", views.TeamFormView.as_view(), name="team-create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team-detail"),
    path("teams/<int:pk>/edit/", views.TeamFormView.as_view(), name="team-edit"),
]
