"""Pages of assistance agreements (included by `sciaid/commissioners/urls.py`)."""

from django.urls import path

from sciaid.commissioners.agreements import views

urlpatterns = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/new/", views.AgreementFormView.as_view(), name="agreement-create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.AgreementFormView.as_view(), name="agreement-edit"),
    path("agreements/<int:pk>/scan/", views.AgreementScanView.as_view(), name="agreement-scan"),
    path("agreements/<int:pk>/<str:action>/", views.AgreementActionView.as_view(), name="agreement-action"),
]
