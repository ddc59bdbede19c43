"""The managers' price pages: the prices of their markets (filtered, exported), one price typed in, a spreadsheet
imported, and their markets."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.views import ImportView, RoleRequiredMixin, ScopedListView, ServiceFormView
from sciaid.information import services
from sciaid.information.filters import PriceFilter
from sciaid.information.forms import MarketForm, PriceForm
from sciaid.information.importers import PriceImporter
from sciaid.information.models import WRITERS, Market, MarketPrice


class PriceListView(ScopedListView):
    """The prices of the user's markets, newest first."""

    model = MarketPrice
    filterset_class = PriceFilter
    select_related = ("product", "market", "market__area")
    template_name = "information/price_list.html"
    export_name = "market-prices"
    export_columns = [
        (_("Date"), lambda row, view: row.date.isoformat()),
        (_("Product"), lambda row, view: row.product.name),
        (_("Market"), lambda row, view: row.market.name),
        (_("Price"), lambda row, view: row.price),
        (_("Unit"), lambda row, view: row.unit),
    ]


class PriceFormView(RoleRequiredMixin, ServiceFormView):
    """Type in one price (a second entry for the same product, market and day corrects the first)."""

    model = MarketPrice
    form_class = PriceForm
    template_name = "regions/form.html"
    required_roles = WRITERS
    edits_object = False

    def perform(self, form):
        data = form.cleaned_data
        services.record_price(
            self.request.user,
            product=data["product"],
            market=data["market"],
            day=data["date"],
            price=data["price"],
            unit=data["unit"],
        )
        return None

    def get_success_url(self, saved=None):
        return reverse("information:price-list")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Record a price"),
            "cancel_url": reverse("information:price-list"),
        }


class PriceImportView(ImportView):
    model = MarketPrice
    importer_class = PriceImporter
    job_kind = "information.import_prices"
    required_roles = WRITERS
    heading = _("Import market prices")


class MarketListView(ScopedListView):
    model = Market
    select_related = ("area",)
    template_name = "information/market_list.html"


class MarketFormView(RoleRequiredMixin, ServiceFormView):
    """Record a market of the user's areas, or correct one."""

    model = Market
    form_class = MarketForm
    template_name = "regions/form.html"
    required_roles = WRITERS

    def get_initial(self):
        market = self.object
        return {"name": market.name, "area": market.area.code, "address": market.address} if market else {}

    def perform(self, form):
        return services.save_market(self.request.user, instance=self.object, **form.cleaned_data)

    def get_success_url(self, saved=None):
        return reverse("information:market-list")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit market") if self.object else _("Add a market"),
            "cancel_url": reverse("information:market-list"),
        }
