"""Pages of service logs (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.logs import views

urlpatterns = [
    path("logs/", views.ServiceLogListView.as_view(), name="log-list"),
    path("logs/new/", views.ServiceLogCreateView.as_view(), name="log-create"),
    path("logs/enter/", views.CountyLogCreateView.as_view(), name="log-enter"),
    path("logs/import/", views.LogImportView.as_view(), name="log-import"),
    path("logs/<int:pk>/", views.ServiceLogDetailView.as_view(), name="log-detail"),
    path("logs/<int:pk>/edit/", views.ServiceLogEditView.as_view(), name="log-edit"),
    path("logs/<int:pk>/<str:action>/", views.ServiceLogActionView.as_view(), name="log-action"),
    path("log-photos/<int:pk>/", views.LogPhotoView.as_view(), name="log-photo"),
]
