from django.urls import path

from sciaid.regions import views

app_name = "regions"
urlpatterns = [
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/import/", views.VillageImportView.as_view(), name="village-import"),
    path("areas/<str:code>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/new/", views.HouseholdFormView.as_view(), name="household-create"),
    path("households/import/", views.HouseholdImportView.as_view(), name="household-import"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("households/<int:pk>/edit/", views.HouseholdFormView.as_view(), name="household-edit"),
    path("households/<int:pk>/status/", views.HouseholdTransitionView.as_view(), name="household-transition"),
    path("households/<int:pk>/income/", views.IncomeFormView.as_view(), name="income-add"),
    path("households/<int:pk>/pairings/new/", views.PairingFormView.as_view(), name="pairing-create"),
    path("pairings/<int:pk>/visits/new/", views.VisitFormView.as_view(), name="visit-create"),
    path("visits/", views.VisitListView.as_view(), name="visit-list"),
    path("visits/statistics/", views.VisitStatsView.as_view(), name="visit-stats"),
]
