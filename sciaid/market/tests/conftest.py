"""The market of the test world: a certified supplier of county A with two products, one of county B (county-only),
a buyer institution in each county, each with its own buyer user — all made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.market import services
from sciaid.market.choices import ProductCategory, SupplierKind
from sciaid.market.models import Buyer, Product, Supplier

DAY = date(2020, 6, 1)
PDF = b"%PDF-1.4\n% voucher\n"


@dataclass
class Market:
    supplier: Supplier
    rice: Product
    eggs: Product
    supplier_b: Supplier
    honey_b: Product
    buyer: Buyer
    buyer_b: Buyer
    buyer_user_b: User


def certified_supplier(admin, area, name: str, *, county_only: bool = False, members=()) -> Supplier:
    supplier = services.save_supplier(
        admin, name=name, kind=SupplierKind.COOPERATIVE, area=area, county_only=county_only, members=list(members)
    )
    certificate = services.submit_certificate(
        admin,
        supplier,
        number=f"C-{name}",
        issuer="县扶贫局",
        valid_from=date(2020, 1, 1),
        valid_until=date(2099, 1, 1),
    )
    services.review_certificate(admin, certificate, approve=True)
    return supplier


def listed(admin, supplier, name: str, price: str, stock: int, category=ProductCategory.GRAIN_OIL) -> Product:
    product = services.save_product(admin, supplier, name=name, category=category, unit="袋", price=price, stock=stock)
    return services.review_product(admin, product, approve=True, certified=True)


@pytest.fixture
def market(world) -> Market:
    admin, admin_b = world.county_admin, world.county_admin_b
    supplier = certified_supplier(admin, world.village_a1, "姚祠村合作社", members=[world.applicant])
    rice = listed(admin, supplier, "富硒大米", "50.00", 10)
    eggs = listed(admin, supplier, "土鸡蛋", "40.00", 100, ProductCategory.MEAT_EGGS)
    supplier_b = certified_supplier(admin_b, world.village_b1, "黄湾村蜂蜜户", county_only=True)
    honey_b = listed(admin_b, supplier_b, "土蜂蜜", "70.00", 20, ProductCategory.PROCESSED)
    buyer = services.save_buyer(admin, name="寿县人民医院", area=world.county_a, members=[world.buyer])
    buyer_user_b = User.objects.create_user("buyer_b", password="pw")
    RoleGrant.objects.create(user=buyer_user_b, role=Role.BUYER, area=world.county_b)
    buyer_b = services.save_buyer(admin_b, name="凤台县中学", area=world.county_b, members=[buyer_user_b])
    return Market(supplier, rice, eggs, supplier_b, honey_b, buyer, buyer_b, buyer_user_b)


@pytest.fixture
def place(world, market):
    """place({product: quantity}, buyer=market.buyer, user=world.buyer) → the orders placed."""

    def run(cart: dict, buyer=None, user=None, on=DAY):
        return services.place_order(
            user or world.buyer, buyer or market.buyer, {p.pk: n for p, n in cart.items()}, on=on
        )

    return run
