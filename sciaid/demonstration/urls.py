"""Pages of industrial demonstration, under /demonstration/: the public ones first, then the managers'."""

from django.urls import path

from sciaid.demonstration import public, views

app_name = "demonstration"
urlpatterns = [
    path("", public.PublicSiteListView.as_view(), name="public-list"),
    path("<int:pk>/", public.PublicSiteDetailView.as_view(), name="public-detail"),
    path("photos/<int:pk>/photo/", public.PublicPhotoView.as_view(), name="public-photo"),
    path("sites/", views.SiteListView.as_view(), name="site-list"),
    path("sites/new/", views.SiteFormView.as_view(), name="site-create"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
    path("sites/<int:pk>/edit/", views.SiteFormView.as_view(), name="site-edit"),
    path("sites/<int:pk>/delete/", views.SiteDeleteView.as_view(), name="site-delete"),
    path("sites/<int:pk>/do/<str:action>/", views.SiteActionView.as_view(), name="site-action"),
    path("sites/<int:pk>/figures/new/", views.FiguresFormView.as_view(), name="figures-create"),
    path("sites/<int:pk>/photos/new/", views.PhotoFormView.as_view(), name="photo-create"),
    path("figures/<int:pk>/delete/", views.FiguresDeleteView.as_view(), name="figures-delete"),
    path("figures/import/", views.FiguresImportView.as_view(), name="figures-import"),
    path("sites/photos/<int:pk>/file/", views.PhotoFileView.as_view(), name="photo-file"),
    path("sites/photos/<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="photo-delete"),
    path("sites/photos/<int:pk>/first/", views.PhotoFirstView.as_view(), name="photo-first"),
]
