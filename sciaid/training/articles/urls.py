"""Pages of the training app's articles (included by sciaid.training.urls, names in the "training" namespace)."""

from django.urls import path

from sciaid.training.articles import views

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("new/", views.ArticleFormView.as_view(), name="article-create"),
    path("<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("<int:pk>/edit/", views.ArticleFormView.as_view(), name="article-edit"),
    path("<int:pk>/do/<str:action>/", views.ArticleActionView.as_view(), name="article-action"),
    path("<int:pk>/video/", views.ArticleVideoView.as_view(), name="article-video"),
    path("<int:pk>/cover/", views.ArticleCoverView.as_view(), name="article-cover"),
    path("<int:pk>/leaflet.pdf", views.ArticleLeafletView.as_view(), name="article-leaflet"),
]
