"""The public catalogue (products on sale, searchable in Chinese and pinyin, each with its first photo), product photos,
and a buyer's cart.

The cart lives in the session as {product id: quantity}; placing it calls `services.place_order`, which splits it
into one order per supplier, and a refusal (sold out, county-only supplier …) comes back as a message on the cart.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView, TemplateView, View

from sciaid.core.actions import refusal
from sciaid.core.files import StoredFileMixin
from sciaid.core.pagination import CappedPaginator
from sciaid.core.scoping import PUBLIC, SCOPED
from sciaid.core.states import TransitionRefused
from sciaid.core.views import RoleRequiredMixin
from sciaid.market import services
from sciaid.market.filters import CatalogueFilter
from sciaid.market.forms import CartAddForm, CartPlaceForm
from sciaid.market.models import BUYERS, Product, ProductPhoto, on_sale

CART = "market_cart"


class CatalogueView(ListView):
    """Every product on sale in the platform, for visitors and buyers alike: search, county, category, price."""

    scoping = PUBLIC
    template_name = "market/catalogue.html"
    paginate_by = 24
    paginator_class = CappedPaginator

    def get_queryset(self):
        products = (
            Product.objects.on_sale()
            .select_related("supplier", "supplier__area", "origin")
            .prefetch_related(ProductPhoto.gallery.prefetch())
        )
        self.filterset = CatalogueFilter(self.request.GET or None, queryset=products)
        return self.filterset.qs.order_by("pinyin", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_string=query.urlencode(), cart_form=CartAddForm())
        context["may_buy"] = CartView.may_open(self.request.user) if self.request.user.is_authenticated else False
        return context


class PhotoView(StoredFileMixin, View):
    """A product photo: public while the product is on sale, otherwise for those who may see the product."""

    scoping = PUBLIC
    file_field = "image"

    def get(self, request, pk: int):
        visible = on_sale("product")
        if request.user.is_authenticated:
            visible |= Q(pk__in=ProductPhoto.objects.for_user(request.user).values("pk"))
        self.object = get_object_or_404(ProductPhoto.objects.filter(visible), pk=pk)
        return self.render_to_response({})


def cart_of(request) -> dict[str, int]:
    return dict(request.session.get(CART, {}))


class BuyerPageMixin(RoleRequiredMixin, LoginRequiredMixin):
    """Pages of buyers only (and operators)."""

    scoping = SCOPED
    required_roles = BUYERS


class CartView(BuyerPageMixin, TemplateView):
    """The cart, grouped by supplier as it will be split into orders, with what is left of each product."""

    template_name = "market/cart.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cart = cart_of(self.request)
        products = (
            Product.objects.for_user(self.request.user).select_related("supplier").in_bulk([int(k) for k in cart])
        )
        groups: dict[int, dict] = {}
        for key, quantity in cart.items():
            product = products.get(int(key))
            if product is None:
                continue
            group = groups.setdefault(
                product.supplier_id, {"supplier": product.supplier, "lines": [], "total": Decimal(0)}
            )
            amount = product.price * quantity
            group["lines"].append({"product": product, "quantity": quantity, "amount": amount})
            group["total"] += amount
        context.update(
            groups=list(groups.values()),
            total=sum((group["total"] for group in groups.values()), Decimal(0)),
            place_form=CartPlaceForm(user=self.request.user),
        )
        return context


class CartAddView(BuyerPageMixin, View):
    """POST a quantity for a product on sale: 0 removes it from the cart."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        product = get_object_or_404(Product.objects.for_user(request.user).on_sale(), pk=pk)
        form = CartAddForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a whole number of pieces."))
            return redirect(request.POST.get("next") or "market:cart")
        cart = cart_of(request)
        quantity = form.cleaned_data["quantity"]
        if quantity:
            cart[str(product.pk)] = quantity
            messages.success(request, _("%(name)s is in the cart.") % {"name": product.name})
        else:
            cart.pop(str(product.pk), None)
        request.session[CART] = cart
        target = request.POST.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else "market:cart")


class CartPlaceView(BuyerPageMixin, View):
    """POST: place the cart, one order per supplier; a refusal leaves the cart as it was."""

    http_method_names = ["post"]

    def post(self, request):
        form = CartPlaceForm(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("market:cart")
        try:
            orders = services.place_order(
                request.user, form.cleaned_data["buyer"], cart_of(request), note=form.cleaned_data["note"]
            )
        except (ValidationError, TransitionRefused, PermissionDenied) as exc:
            for message in refusal(exc).messages:
                messages.error(request, message)
            return redirect("market:cart")
        request.session[CART] = {}
        messages.success(
            request,
            ngettext("%(count)d order placed.", "%(count)d orders placed, one per supplier.", len(orders))
            % {"count": len(orders)},
        )
        return redirect("market:order-list")
