"""Pages of the training app's portal (included by sciaid.training.urls, names in the "training" namespace)."""

from django.urls import path, re_path

from sciaid.training.portal import views

urlpatterns = [
    path("", views.CountyListView.as_view(), name="public-counties"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("events/<int:pk>/", views.PublicEventView.as_view(), name="public-event"),
    re_path(r"^(?P<code>\d{6}(?:\d{6})?)/$", views.CountyView.as_view(), name="public-county"),
]
