"""Orders from cart to settled: every transition, every refusal, the price kept, the stock given back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from sciaid.core.models import Notification, ObjectChange
from sciaid.core.states import TransitionRefused
from sciaid.funds.models import PostedEntryError
from sciaid.market import services
from sciaid.market.choices import OrderStatus
from sciaid.market.models import Order, Payment, Product
from sciaid.market.tests.conftest import DAY, PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_a_cart_across_suppliers_is_split_one_order_per_supplier(world, market, place):
    other = services.save_supplier(world.county_admin, name="安丰合作社", kind="cooperative", area=world.village_a3)
    cert = services.submit_certificate(
        world.county_admin, other, number="X1", issuer="局", valid_from=DAY, valid_until=DAY.replace(year=2099)
    )
    services.review_certificate(world.county_admin, cert, approve=True)
    oil = services.review_product(
        world.county_admin,
        services.save_product(
            world.county_admin, other, name="菜籽油", category="grain_oil", unit="桶", price="100", stock=5
        ),
        approve=True,
    )
    orders = place({market.rice: 2, market.eggs: 3, oil: 1})
    assert sorted((o.supplier.name, o.total) for o in orders) == [
        ("姚祠村合作社", Decimal("220.00")),
        ("安丰合作社", Decimal("100.00")),
    ]
    assert fresh(market.rice).stock == 8 and fresh(oil).stock == 4


def test_every_step_to_settled_tells_the_other_party(world, market, place):
    (order,) = place({market.rice: 2})
    assert Notification.objects.filter(recipient=world.applicant, kind="market.order_placed").exists()
    services.confirm_order(world.applicant, order)
    services.ship_order(world.applicant, order)
    assert Notification.objects.filter(recipient=world.buyer, kind="market.order_step").count() == 2
    services.receive_order(world.buyer, order)
    payment = services.record_payment(
        world.buyer, order, amount="100.00", paid_on=DAY, voucher=ContentFile(PDF, "scan.pdf")
    )
    order = fresh(order)
    assert (order.status, order.settled_on, payment.voucher.name.endswith(".pdf")) == (OrderStatus.SETTLED, DAY, True)
    notes = set(
        ObjectChange.objects.filter(
            content_type__model="order", object_id=str(order.pk), action="transition"
        ).values_list("note", flat=True)
    )
    assert notes == {"confirm", "ship", "receive", "settle"}


def test_a_partial_payment_leaves_the_order_received(world, market, place):
    (order,) = place({market.rice: 2})
    for step in (services.confirm_order, services.ship_order):
        step(world.applicant, order)
    services.receive_order(world.buyer, order)
    services.record_payment(world.buyer, order, amount="60.00", paid_on=DAY)
    assert fresh(order).status == OrderStatus.RECEIVED
    with pytest.raises(ValidationError, match="More than is still owed"):
        services.record_payment(world.buyer, order, amount="50.00", paid_on=DAY)


def test_roles_are_checked_on_each_step(world, market, place):
    (order,) = place({market.rice: 1})
    with pytest.raises(TransitionRefused):
        services.confirm_order(world.buyer, order)  # the supplier's step
    services.confirm_order(world.applicant, order)
    services.ship_order(world.applicant, order)
    with pytest.raises(TransitionRefused):
        services.receive_order(world.applicant, order)  # the buyer's step
    with pytest.raises(TransitionRefused):
        services.confirm_order(world.county_admin_b, order)  # another county


def test_cancelling_before_shipping_gives_the_stock_back(world, market, place):
    (order,) = place({market.rice: 4})
    services.confirm_order(world.applicant, order)
    services.cancel_order(world.buyer, order, reason="预算调整")
    assert (fresh(order).status, fresh(market.rice).stock) == (OrderStatus.CANCELLED, 10)


def test_a_shipped_order_cannot_be_cancelled(world, market, place):
    (order,) = place({market.rice: 1})
    services.confirm_order(world.applicant, order)
    services.ship_order(world.applicant, order)
    with pytest.raises(TransitionRefused):
        services.cancel_order(world.buyer, order, reason="不要了")
    assert fresh(order).status == OrderStatus.SHIPPED


def test_a_dispute_is_resolved_back_to_received(world, market, place):
    (order,) = place({market.rice: 1})
    services.confirm_order(world.applicant, order)
    services.ship_order(world.applicant, order)
    with pytest.raises(ValidationError):
        services.dispute_order(world.buyer, order, reason=" ")
    services.dispute_order(world.buyer, order, reason="少了一袋")
    assert fresh(order).status == OrderStatus.DISPUTED
    with pytest.raises(TransitionRefused):
        services.record_payment(world.buyer, order, amount="50", paid_on=DAY)
    services.resolve_dispute(world.county_admin, order)
    assert fresh(order).status == OrderStatus.RECEIVED


def test_more_than_the_stock_is_refused_with_what_is_left_and_nothing_written(world, market, place):
    with pytest.raises(services.OutOfStock) as refused:
        place({market.eggs: 1, market.rice: 11})
    assert refused.value.left == 10
    assert (fresh(market.rice).stock, fresh(market.eggs).stock, Order.objects.count()) == (10, 100, 0)


@pytest.mark.parametrize("quantity", [0, -1, "x", 1.5])
def test_a_quantity_below_one_is_refused(market, place, quantity):
    with pytest.raises(ValidationError):
        place({market.rice: quantity})


def test_a_county_only_supplier_refuses_another_countys_buyer(world, market, place):
    with pytest.raises(ValidationError, match="own county only"):
        place({market.honey_b: 1})
    (order,) = place({market.honey_b: 1}, buyer=market.buyer_b, user=market.buyer_user_b)
    assert order.total == Decimal("70.00")


def test_only_the_institutions_buyers_order_for_it(world, market, place):
    with pytest.raises(PermissionDenied):
        place({market.rice: 1}, user=market.buyer_user_b)


def test_a_price_change_leaves_open_orders_their_price(world, market, place):
    (order,) = place({market.rice: 2})
    services.save_product(
        world.applicant, instance=market.rice, name="富硒大米", category="grain_oil", unit="袋", price="80.00", stock=8
    )
    line = order.lines.get()
    assert (line.price, fresh(order).total, fresh(market.rice).price) == (
        Decimal("50.00"),
        Decimal("100.00"),
        Decimal("80.00"),
    )
    assert fresh(market.rice).status == "listed", "a price change needs no new review"


@pytest.mark.parametrize("price", ["0", "-5", "abc", "1.234"])
def test_a_price_not_above_zero_is_refused(world, market, price):
    with pytest.raises(ValidationError):
        services.save_product(
            world.applicant, market.supplier, name="新品", category="grain_oil", unit="袋", price=price, stock=1
        )


def test_payments_are_append_only_and_reversed_by_the_county(world, market, place):
    (order,) = place({market.rice: 1})
    services.confirm_order(world.applicant, order)
    services.ship_order(world.applicant, order)
    services.receive_order(world.buyer, order)
    payment = services.record_payment(world.buyer, order, amount="50.00", paid_on=DAY)
    with pytest.raises(PostedEntryError):
        payment.delete()
    with pytest.raises(PermissionDenied):
        services.reverse_payment(world.buyer, payment, reason="录错")
    reversal = services.reverse_payment(world.county_admin, payment, reason="录错")
    assert (reversal.amount, fresh(order).status, services.paid(order)) == (
        Decimal("-50.00"),
        OrderStatus.RECEIVED,
        Decimal("0.00"),
    )
    with pytest.raises(TransitionRefused):
        services.reverse_payment(world.county_admin, payment, reason="again")
    assert Payment.objects.count() == 2


def test_an_expired_certificate_takes_the_products_off_sale(world, market):
    market.supplier.certificates.update(valid_until=DAY)
    services.refresh_certification(market.supplier)
    assert not Product.objects.on_sale().filter(supplier=market.supplier).exists()
    assert not Product.objects.for_user(world.buyer).filter(supplier=market.supplier).exists()
