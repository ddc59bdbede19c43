from django.urls import path

from sciaid.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.ExpertListView.as_view(), name="expert-list"),
    path("new/", views.ExpertCreateView.as_view(), name="expert-create"),
    path("import/", views.ExpertImportView.as_view(), name="expert-import"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="expert-detail"),
    path("<int:pk>/edit/", views.ExpertFormView.as_view(), name="expert-edit"),
    path("<int:pk>/active/", views.ExpertActiveView.as_view(), name="expert-active"),
    path("pairings/", views.PairingListView.as_view(), name="pairing-list"),
    path("pairings/new/", views.PairingFormView.as_view(), name="pairing-create"),
    path("pairings/<int:pk>/delete/", views.PairingDeleteView.as_view(), name="pairing-delete"),
    path("specialties/", views.SpecialtyListView.as_view(), name="specialty-list"),
    path("specialties/new/", views.SpecialtyFormView.as_view(), name="specialty-create"),
    path("specialties/<int:pk>/edit/", views.SpecialtyFormView.as_view(), name="specialty-edit"),
]
