"""Pages of the information service, under /news/: the public ones first, then the managers' (`manage/`)."""

from django.urls import path

from sciaid.information import views
from sciaid.information.feeds import NewsFeed

app_name = "information"
urlpatterns = [
    path("", views.PublicNewsListView.as_view(), name="public-list"),
    path("<int:pk>/", views.PublicNewsDetailView.as_view(), name="public-detail"),
    path("attachments/<int:pk>/download/", views.PublicAttachmentView.as_view(), name="public-attachment"),
    path("feed/<str:code>/", NewsFeed(), name="feed"),
    path("feed/<str:code>/<str:category>/", NewsFeed(), name="feed-category"),
    path("prices/", views.PublicPricesView.as_view(), name="public-prices"),
    path("prices/chart/", views.PriceChartView.as_view(), name="price-chart"),
    path("manage/", views.NewsListView.as_view(), name="item-list"),
    path("manage/new/", views.NewsFormView.as_view(), name="item-create"),
    path("manage/<int:pk>/", views.NewsDetailView.as_view(), name="item-detail"),
    path("manage/<int:pk>/edit/", views.NewsFormView.as_view(), name="item-edit"),
    path("manage/<int:pk>/delete/", views.NewsDeleteView.as_view(), name="item-delete"),
    path("manage/<int:pk>/do/<str:action>/", views.NewsActionView.as_view(), name="item-action"),
    path("manage/<int:pk>/attachments/new/", views.AttachmentFormView.as_view(), name="attachment-create"),
    path("manage/attachments/<int:pk>/file/", views.AttachmentFileView.as_view(), name="attachment-file"),
    path("manage/attachments/<int:pk>/delete/", views.AttachmentDeleteView.as_view(), name="attachment-delete"),
    path("manage/prices/", views.PriceListView.as_view(), name="price-list"),
    path("manage/prices/new/", views.PriceFormView.as_view(), name="price-create"),
    path("manage/prices/import/", views.PriceImportView.as_view(), name="price-import"),
    path("manage/markets/", views.MarketListView.as_view(), name="market-list"),
    path("manage/markets/new/", views.MarketFormView.as_view(), name="market-create"),
    path("manage/markets/<int:pk>/edit/", views.MarketFormView.as_view(), name="market-edit"),
]
