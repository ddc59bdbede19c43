"""Samples of the market models for the generic jurisdiction tests (see sciaid/tests/samples.py): per county a
certified supplier in its first village with a listed product, a buyer institution with its own buyer user and a
2020 quota, and one order placed, delivered and paid through the services."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.core.tests.pictures import picture
from sciaid.market import services
from sciaid.market.choices import ProductCategory, SupplierKind
from sciaid.market.models import Buyer, Certificate, Order, Payment, Product, ProductPhoto, Quota, Supplier
from sciaid.tests.samples import COUNTY_ADMINS, URL_KWARGS, sample

DAY = date(2020, 6, 1)
PDF = b"%PDF-1.4\n% sample voucher\n"

URL_KWARGS["market:order-action"] = lambda order: {"pk": order.pk, "action": "cancel"}
URL_KWARGS["market:product-action"] = lambda product: {"pk": product.pk, "action": "withdraw"}
URL_KWARGS["market:certificate-action"] = lambda certificate: {"pk": certificate.pk, "action": "reject"}


@sample(Supplier, fingerprints=lambda supplier: [supplier.name])
def supplier(world, county):
    name = f"Sample supplier {county.upper()}"
    found = Supplier.objects.filter(name=name).first()
    if found is not None:
        return found
    admin = world.users[COUNTY_ADMINS[county]]
    made = services.save_supplier(
        admin, name=name, kind=SupplierKind.COOPERATIVE, area=world.areas[f"village_{county}1"]
    )
    cert = services.submit_certificate(
        admin,
        made,
        number=f"SAMPLE-{county.upper()}-001",
        issuer="Sample bureau",
        valid_from=DAY,
        valid_until=date(2099, 12, 31),
    )
    services.review_certificate(admin, cert, approve=True)
    services.save_beneficiary(admin, made, household=world.households[f"household_{county}1"], share=50)
    product = services.save_product(
        admin,
        made,
        name=f"Sample product {county.upper()}",
        category=ProductCategory.GRAIN_OIL,
        unit="5 kg",
        price="50.00",
        stock=100,
    )
    services.review_product(admin, product, approve=True, certified=True)
    return made


@sample(Certificate, search=lambda c: c.number, fingerprints=lambda c: [c.number])
def certificate(world, county):
    return Certificate.objects.get(supplier=supplier(world, county))


@sample(Product, fingerprints=lambda product: [product.name])
def product(world, county):
    return Product.objects.get(supplier=supplier(world, county))


@sample(ProductPhoto, search=lambda photo: None, fingerprints=lambda photo: [])
def product_photo(world, county):
    """A photo of the county's product, which the county then lists again (new photos send it back to review)."""
    made = ProductPhoto.objects.filter(product=product(world, county)).first()
    if made is not None:
        return made
    admin = world.users[COUNTY_ADMINS[county]]
    (made,) = services.add_product_photos(admin, product(world, county), [picture()])
    services.review_product(admin, made.product, approve=True, certified=True)
    return made


def buyer_user(world, county) -> User:
    username = f"sample_buyer_{county}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, password="pw")
        RoleGrant.objects.create(user=user, role=Role.BUYER, area=world.areas[f"county_{county}"])
    return user


@sample(Buyer, fingerprints=lambda buyer: [buyer.name])
def buyer(world, county):
    name = f"Sample buyer {county.upper()}"
    found = Buyer.objects.filter(name=name).first()
    if found is not None:
        return found
    admin = world.users[COUNTY_ADMINS[county]]
    made = services.save_buyer(
        admin, name=name, area=world.areas[f"county_{county}"], members=[buyer_user(world, county)]
    )
    services.set_quota(admin, made, year=2020, amount="1000.00")
    return made


@sample(Quota, search=lambda quota: quota.buyer.name, fingerprints=lambda quota: [quota.buyer.name])
def quota(world, county):
    return Quota.objects.select_related("buyer").get(buyer=buyer(world, county))


@sample(Order, search=lambda order: order.buyer.name, fingerprints=lambda order: [order.number])
def order(world, county):
    made = Order.objects.filter(buyer=buyer(world, county)).first()
    if made is not None:
        return made
    admin, user = world.users[COUNTY_ADMINS[county]], buyer_user(world, county)
    (made,) = services.place_order(user, buyer(world, county), {product(world, county).pk: 2}, on=DAY)
    services.confirm_order(admin, made)
    services.ship_order(admin, made)
    services.receive_order(user, made)
    services.record_payment(user, made, amount="100.00", paid_on=DAY, voucher=ContentFile(PDF, "v.pdf"))
    return Order.objects.select_related("buyer").get(pk=made.pk)


@sample(Payment, fingerprints=lambda payment: [])
def payment(world, county):
    return Payment.objects.get(order=order(world, county))
