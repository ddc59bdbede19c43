"""Pages anyone reads without a login: published news of a county (with the province's), an item with its
attachments, the latest market prices and a price chart. Only published items, and no personal data: no author,
no reviewer, no review note."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from sciaid.core.pagination import CappedPaginator
from sciaid.core.publishing import PublicationStatus
from sciaid.core.scoping import PUBLIC
from sciaid.core.views import PublicFileView
from sciaid.information.filters import PriceFilter, PublicNewsFilter
from sciaid.information.models import Market, NewsAttachment, Product
from sciaid.information.services import latest_prices, price_series, public_items, public_markets
from sciaid.regions.choices import AreaLevel
from sciaid.regions.chooser import with_chosen_area
from sciaid.regions.models import Area


def chosen_area(request) -> Area | None:
    """The county, city or province named by `?area=<code>`; None (the whole platform) when absent or unknown."""
    code = request.GET.get("area", "")
    return Area.objects.filter(code=code, level__lte=AreaLevel.COUNTY).first() if code.isdigit() else None


class PublicListMixin:
    scoping = PUBLIC
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_string=query.urlencode(), area=chosen_area(self.request))
        return context


class PublicNewsListView(PublicListMixin, ListView):
    """Published items of the chosen county (with its city's and the province's), newest first, or best matches
    first when searching."""

    template_name = "information/public_list.html"

    def get_queryset(self):
        items = public_items().select_related("area").order_by("-published_on", "-id")
        self.filterset = PublicNewsFilter(with_chosen_area(self.request), queryset=items)
        return self.filterset.qs


class PublicNewsDetailView(DetailView):
    """A published item; anything else (a draft, a withdrawn item, a wrong number) is a 404 for everyone here."""

    scoping = PUBLIC
    template_name = "information/public_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return public_items().select_related("area").prefetch_related("attachments")


class PublicAttachmentView(PublicFileView):
    """An attachment of a published item, for anyone, under its title; attachments of other items are 404 here
    (their managers download them through the protected view)."""

    queryset = NewsAttachment.objects.filter(item__status=PublicationStatus.PUBLISHED)
    file_field = "file"
    title_field = "title"
    cache_control = "public, max-age=3600"


class PublicPricesView(PublicListMixin, ListView):
    """The newest price of each product at each market of the chosen area, with a link to its chart."""

    template_name = "information/public_prices.html"
    paginate_by = 50

    def get_queryset(self):
        rows = latest_prices(public_markets(chosen_area(self.request)))
        self.filterset = PriceFilter(with_chosen_area(self.request), queryset=rows)
        return self.filterset.qs


class PriceChartView(PublicListMixin, ListView):
    """One product's prices at one market (`?product=&market=`, optionally `since`/`until`), oldest first: a line
    chart and the same numbers in a table."""

    template_name = "information/price_chart.html"
    paginate_by = None

    def get(self, request, *args, **kwargs):
        self.product = get_object_or_404(Product, pk=_number(request.GET.get("product")))
        self.market = get_object_or_404(Market.objects.select_related("area"), pk=_number(request.GET.get("market")))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = None
        return price_series(self.product, self.market)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = context["object_list"]
        context.update(
            product=self.product,
            market=self.market,
            unit=self.product.unit,
            chart={
                "dates": [day.isoformat() for day, _price in series],
                "prices": [float(price) for _day, price in series],
                "label": f"{self.product.name} · {self.market.name}",
            },
        )
        return context


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 12 else 0
