"""Buyers and their yearly quotas; orders from placing to settling; payments recorded against them.

A cart holds products of several suppliers: placing it makes one order per supplier. Stock is taken with one
conditional UPDATE per line (`stock = stock - n WHERE stock >= n`), so concurrent buyers of the last units never
oversell: of them exactly as many succeed as there are units, the others get `OutOfStock` (a 409 with the stock
left) and nothing of their cart is written. Every step after that is a transition of `Order.workflow`, guarded by
role, jurisdiction and state, audited, and told to the other party.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.funds.money import yuan
from sciaid.funds.services import clean_voucher
from sciaid.market.choices import OrderStatus
from sciaid.market.models import MANAGERS, Buyer, Order, OrderLine, Payment, Product, Quota
from sciaid.market.services.common import (
    buyer_people,
    check_members,
    county_of,
    is_member,
    positive_money,
    positive_quantity,
    require_area,
    supplier_people,
)
from sciaid.market.services.figures import purchases
from sciaid.market.services.tallies import tally
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.regions.services import pinyin_of


class OutOfStock(TransitionRefused):
    """An order asks for more than is left: the API answers 409 with `product` and `stock` (what is left)."""

    def __init__(self, product: Product, left: int):
        self.product, self.left = product, left
        super().__init__(
            _("Only %(left)d left of “%(name)s”.") % {"left": left, "name": product.name}
            if left
            else _("“%(name)s” is sold out.") % {"name": product.name}
        )


# --- buyers and quotas --------------------------------------------------------------------------------------------


@service
def save_buyer(
    user, *, instance: Buyer | None = None, name: str, area: Area, contact: str = "", members: Iterable = ()
) -> Buyer:
    """A buyer institution of the county, and the buyer-role users who order for it."""
    if area.level < AreaLevel.COUNTY:
        raise ValidationError({"area": _("Choose the county, township or village the institution is in.")})
    require_area(user, area, MANAGERS)
    if instance is not None:
        require_area(user, instance.area, MANAGERS)
    buyer = instance or Buyer()
    buyer.name = (name or "").strip()
    if not buyer.name:
        raise ValidationError({"name": _("This field is required.")})
    buyer.pinyin, buyer.initials = pinyin_of(buyer.name)
    buyer.area, buyer.contact = area, contact
    buyer.save()
    buyer.members.set(check_members(members, Role.BUYER))
    return buyer


@service
def set_quota(user, buyer: Buyer, *, year: int, amount) -> Quota:
    """The county reserves what a buyer is to spend in a year (a second call for the year changes it)."""
    require_area(user, buyer.area, MANAGERS)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Write a year such as 2020.")})
    quota, _created = Quota.objects.update_or_create(
        buyer=buyer, year=int(year), defaults={"amount": positive_money(amount, "amount")}
    )
    return quota


def purchased(buyer: Buyer, year: int) -> Decimal:
    """What the buyer bought in the year (orders not cancelled), from any supplier."""
    return purchases().filter(buyer=buyer, placed_on__year=year).aggregate(s=Sum("total"))["s"] or Decimal("0.00")


# --- placing orders -----------------------------------------------------------------------------------------------


def _cart_lines(cart: dict) -> list[tuple[Product, int]]:
    """(product, quantity) for a cart {product id: quantity}; each product on sale, each quantity ≥ 1."""
    if not cart:
        raise ValidationError({"lines": _("The cart is empty.")})
    quantities = {int(pk): positive_quantity(quantity) for pk, quantity in cart.items()}
    products = Product.objects.on_sale().select_related("supplier", "supplier__area").in_bulk(list(quantities))
    missing = sorted(set(quantities) - set(products))
    if missing:
        raise ValidationError({"lines": _("These products are not on sale: %(ids)s.") % {"ids": missing}})
    return [(products[pk], quantities[pk]) for pk in sorted(quantities)]


def _take_stock(product: Product, quantity: int) -> None:
    """Take `quantity` off the product's stock, or refuse with what is left: one conditional UPDATE, which on
    PostgreSQL waits for a concurrent taker of the same row and re-checks the condition after it commits."""
    taken = Product.objects.filter(pk=product.pk, stock__gte=quantity).update(stock=F("stock") - quantity)
    if taken != 1:
        left = Product.objects.filter(pk=product.pk).values_list("stock", flat=True).first() or 0
        raise OutOfStock(product, left)


@service
def place_order(user, buyer: Buyer, cart: dict, *, note: str = "", on: date | None = None) -> list[Order]:
    """Place a buyer's cart {product id: quantity}: one order per supplier, each line keeping today's price.

    Refused as a whole (nothing written) when a product is not on sale, a quantity is below 1, a county-only
    supplier is of another county than the buyer, or a product has too few left (`OutOfStock`, a 409).
    `on` backdates the order (the demo's year; imports of paper orders).
    """
    if not is_member(user, buyer):
        raise PermissionDenied(_("Only the institution's buyers may order for it."))
    lines = _cart_lines(cart)
    by_supplier: dict[int, list[tuple[Product, int]]] = defaultdict(list)
    for product, quantity in lines:
        supplier = product.supplier
        if supplier.county_only and county_of(supplier.area) != county_of(buyer.area):
            raise ValidationError(
                {"lines": _("%(supplier)s sells to buyers of its own county only.") % {"supplier": supplier.name}}
            )
        by_supplier[supplier.pk].append((product, quantity))
    for product, quantity in lines:  # in product order, so two carts never lock each other's rows in turn
        _take_stock(product, quantity)
    day = on or timezone.localdate()
    placed = [_make_order(buyer, items, note, day) for items in by_supplier.values()]
    tally(placed, +1)
    orders = [order for order, _lines in placed]
    for order in orders:
        notify(
            supplier_people(order.supplier),
            title=lambda order=order: (
                _("New order from %(buyer)s: %(total)s") % {"buyer": buyer.name, "total": yuan(order.total)}
            ),
            url=order.get_absolute_url(),
            kind="market.order_placed",
        )
    return orders


def _make_order(buyer: Buyer, items: list[tuple[Product, int]], note: str, day: date) -> tuple[Order, list[OrderLine]]:
    supplier = items[0][0].supplier
    total = sum((product.price * quantity for product, quantity in items), Decimal("0.00"))
    order = Order.objects.create(
        buyer=buyer, supplier=supplier, area=supplier.area, total=total, placed_on=day, note=note
    )
    lines = OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                product=product,
                name=product.name,
                unit=product.unit,
                category=product.category,
                price=product.price,
                quantity=quantity,
                amount=product.price * quantity,
            )
            for product, quantity in items
        ]
    )
    return order, lines


# --- the steps after placing --------------------------------------------------------------------------------------


def _tell(order: Order, *, buyer_side: bool, title) -> None:
    """Tell the other party of a step: the buyer's people when the supplier acted, and the other way round."""
    people = supplier_people(order.supplier) if buyer_side else buyer_people(order.buyer)
    notify(people, title=title, body=order.reason, url=order.get_absolute_url(), kind="market.order_step")


def _step(user, order: Order, name: str, *, buyer_side: bool, title, **changes) -> Order:
    Order.workflow.apply(order, name, user, **changes)
    _tell(order, buyer_side=buyer_side, title=title)
    return order


@service
def confirm_order(user, order: Order) -> Order:
    """The supplier accepts the order."""
    return _step(
        user, order, "confirm", buyer_side=False, title=lambda: _("%(order)s was confirmed") % {"order": order}
    )


@service
def ship_order(user, order: Order) -> Order:
    return _step(user, order, "ship", buyer_side=False, title=lambda: _("%(order)s was shipped") % {"order": order})


@service
def receive_order(user, order: Order) -> Order:
    """The buyer accepts the delivery (验收)."""
    return _step(user, order, "receive", buyer_side=True, title=lambda: _("%(order)s was received") % {"order": order})


@service
def cancel_order(user, order: Order, *, reason: str) -> Order:
    """Either side calls off an order before it is shipped (after that: 409); its stock goes back on sale and it no
    longer counts in the figures."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order is cancelled.")})
    buyer_side = Buyer.objects.filter(pk=order.buyer_id, members=user).exists()
    _step(
        user,
        order,
        "cancel",
        buyer_side=buyer_side,
        title=lambda: _("%(order)s was cancelled") % {"order": order},
        reason=reason,
    )
    lines = list(order.lines.order_by("product_id"))
    for line in lines:
        Product.objects.filter(pk=line.product_id).update(stock=F("stock") + line.quantity)
    tally([(order, lines)], -1)
    return order


@service
def dispute_order(user, order: Order, *, reason: str) -> Order:
    """The buyer contests a delivery (wrong, short, spoiled); the county or the buyer resolves it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with the delivery.")})
    return _step(
        user,
        order,
        "dispute",
        buyer_side=True,
        title=lambda: _("%(order)s is disputed") % {"order": order},
        reason=reason,
    )


@service
def resolve_dispute(user, order: Order, *, note: str = "") -> Order:
    """The dispute is settled between the parties: the order is back to received, ready to be paid."""
    return _step(
        user,
        order,
        "resolve",
        buyer_side=False,
        title=lambda: _("The dispute on %(order)s is resolved") % {"order": order},
    )


# --- payments -----------------------------------------------------------------------------------------------------


def paid(order: Order) -> Decimal:
    """Net amount paid: the payments less their reversals."""
    return order.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@service
def record_payment(user, order: Order, *, amount, paid_on: date, voucher=None) -> Payment:
    """Record a payment made offline for a received order (with its voucher scan); paid in full, the order is
    settled. Only the buyer's people or the county record it; never more than is still owed."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.RECEIVED:
        raise TransitionRefused(_("Only a received order can be paid."))
    if not is_member(user, order.buyer):
        require_area(user, order.area, MANAGERS)
    amount = positive_money(amount, "amount")
    if amount > order.total - paid(order):
        raise ValidationError(
            {"amount": _("More than is still owed (%(owed)s).") % {"owed": yuan(order.total - paid(order))}}
        )
    clean_voucher(voucher)
    payment = Payment(order=order, amount=amount, paid_on=paid_on)
    if voucher:
        payment.voucher.save(f"{order.pk}-{timezone.now():%Y%m%d%H%M%S}.{_extension(voucher)}", voucher, save=False)
    payment.save()
    if paid(order) == order.total:
        Order.workflow.apply(order, "settle", user, settled_on=paid_on)
    _tell(
        order,
        buyer_side=True,
        title=lambda: _("Payment of %(amount)s recorded for %(order)s") % {"amount": yuan(amount), "order": order},
    )
    return payment


def _extension(upload) -> str:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return "pdf" if head.startswith(b"%PDF") else "png" if head.startswith(b"\x89PNG") else "jpg"


@service
def reverse_payment(user, payment: Payment, *, reason: str) -> Payment:
    """Correct a recorded payment by a reversing entry (the county only); a settled order goes back to received."""
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    require_area(user, order.area, MANAGERS)
    if payment.is_reversal or Payment.objects.filter(reverses=payment).exists():
        raise TransitionRefused(_("This payment is a reversal or was reversed already."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    reversal = Payment.objects.create(
        order=order, amount=-payment.amount, paid_on=timezone.localdate(), reverses=payment, reason=reason
    )
    if order.status == OrderStatus.SETTLED:
        Order.workflow.apply(order, "reopen", user, settled_on=None, note=reason)
    return reversal
