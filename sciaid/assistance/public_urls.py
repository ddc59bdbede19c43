"""The public questions and answers, under /qa/ (names in the "qa" namespace)."""

from django.urls import path

from sciaid.assistance.views import public

app_name = "qa"
urlpatterns = [
    path("", public.PublicAnswerListView.as_view(), name="list"),
    path("<int:pk>/", public.PublicAnswerView.as_view(), name="detail"),
]
