"""The market section of each role's home page: a buyer's catalogue, cart, orders and quota; a supplier's orders to
confirm or ship; the county's reviews waiting."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from sciaid.core.homepage import register_home_section
from sciaid.core.links import may_open
from sciaid.core.scoping import CHANGE
from sciaid.market.choices import CertificateStatus, OrderStatus, ProductStatus
from sciaid.market.models import Certificate, Order, Product


def _item(user, name: str, label: str, query: str = "", count=None) -> list[dict]:
    if not may_open(user, name):
        return []
    item = {"label": label, "url": reverse(name) + query}
    if count is not None:
        item["count"] = count()
    return [item]


@register_home_section
def market_section(user) -> list[dict]:
    if not may_open(user, "market:order-list"):
        return []
    orders = Order.objects.for_user(user, CHANGE)
    items = _item(user, "market:cart", _("Cart"))
    items += _item(user, "market:catalogue", _("Product catalogue"))
    items += _item(
        user,
        "market:order-list",
        _("Orders to confirm"),
        f"?status={OrderStatus.PLACED}",
        lambda: orders.filter(status=OrderStatus.PLACED).count(),
    )
    items += _item(
        user,
        "market:order-list",
        _("Orders to receive or pay"),
        f"?status={OrderStatus.SHIPPED}",
        lambda: orders.filter(status=OrderStatus.SHIPPED).count(),
    )
    items += _item(
        user,
        "market:product-list",
        _("Products to review"),
        f"?status={ProductStatus.PENDING}",
        lambda: Product.objects.for_user(user, CHANGE).filter(status=ProductStatus.PENDING).count(),
    )
    items += _item(
        user,
        "market:certificate-list",
        _("Certificates to review"),
        f"?status={CertificateStatus.PENDING}",
        lambda: Certificate.objects.for_user(user, CHANGE).filter(status=CertificateStatus.PENDING).count(),
    )
    items += _item(user, "market:quota-list", _("Quotas"))
    items += _item(user, "market:figures", _("Market figures"))
    return [{"title": _("Consumption poverty alleviation"), "items": items}]
