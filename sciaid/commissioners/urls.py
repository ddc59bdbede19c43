"""Pages of the commissioners app."""

from django.urls import path  # noqa: F401

app_name = "commissioners"
urlpatterns: list = []
