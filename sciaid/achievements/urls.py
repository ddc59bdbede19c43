"""Pages of achievement transformation, under /achievements/: the public catalogue first, then the managers'."""

from django.urls import path

from sciaid.achievements import public, views

app_name = "achievements"
urlpatterns = [
    path("", public.PublicAchievementListView.as_view(), name="public-list"),
    path("<int:pk>/", public.PublicAchievementDetailView.as_view(), name="public-detail"),
    path("manage/", views.AchievementListView.as_view(), name="achievement-list"),
    path("manage/new/", views.AchievementFormView.as_view(), name="achievement-create"),
    path("manage/<int:pk>/", views.AchievementDetailView.as_view(), name="achievement-detail"),
    path("manage/<int:pk>/edit/", views.AchievementFormView.as_view(), name="achievement-edit"),
    path("manage/<int:pk>/delete/", views.AchievementDeleteView.as_view(), name="achievement-delete"),
    path("manage/<int:pk>/do/<str:action>/", views.AchievementActionView.as_view(), name="achievement-action"),
    path("needs/", views.NeedListView.as_view(), name="need-list"),
    path("needs/new/", views.NeedFormView.as_view(), name="need-create"),
    path("needs/<int:pk>/", views.NeedDetailView.as_view(), name="need-detail"),
    path("needs/<int:pk>/edit/", views.NeedFormView.as_view(), name="need-edit"),
    path("needs/<int:pk>/do/<str:action>/", views.NeedActionView.as_view(), name="need-action"),
    path("transfers/", views.TransferListView.as_view(), name="transfer-list"),
    path("transfers/new/", views.TransferFormView.as_view(), name="transfer-create"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/edit/", views.TransferFormView.as_view(), name="transfer-edit"),
    path("transfers/<int:pk>/do/<str:action>/", views.TransferActionView.as_view(), name="transfer-action"),
]
