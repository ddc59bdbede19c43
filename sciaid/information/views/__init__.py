"""Pages of the information service: the managers' news and price pages (`news`, `prices`) and the public ones
(`public`, readable without a login)."""

from sciaid.information.views.news import (
    AttachmentDeleteView,
    AttachmentFileView,
    AttachmentFormView,
    NewsActionView,
    NewsDeleteView,
    NewsDetailView,
    NewsFormView,
    NewsListView,
)
from sciaid.information.views.prices import (
    MarketFormView,
    MarketListView,
    PriceFormView,
    PriceImportView,
    PriceListView,
)
from sciaid.information.views.public import (
    PriceChartView,
    PublicAttachmentView,
    PublicNewsDetailView,
    PublicNewsListView,
    PublicPricesView,
)

__all__ = [
    "AttachmentDeleteView",
    "AttachmentFileView",
    "AttachmentFormView",
    "MarketFormView",
    "MarketListView",
    "NewsActionView",
    "NewsDeleteView",
    "NewsDetailView",
    "NewsFormView",
    "NewsListView",
    "PriceChartView",
    "PriceFormView",
    "PriceImportView",
    "PriceListView",
    "PublicAttachmentView",
    "PublicNewsDetailView",
    "PublicNewsListView",
    "PublicPricesView",
]
