"""The market of the demo, as the seeds tell 寿县's 2020: "purchase of poverty-alleviation products equivalent to
¥586,700". Five certified suppliers of the county (the demo applicant's livestock company, 姚祠村's crab cooperative,
a rice cooperative, a fishery and one poor household selling honey within the county only), four buyer institutions
with 2020 quotas, and a year of carts placed, confirmed, shipped, received and paid — every step through
`sciaid.market.services`, so the audit log, inboxes and figures read like a real year, and the year's purchases add
up to exactly ¥586,700 (the last cart makes up the rest with rice and eggs).
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date
from decimal import Decimal

from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.market import services
from sciaid.market.choices import ProductCategory, SupplierKind
from sciaid.market.models import Buyer, Product, Supplier
from sciaid.market.services import refresh_market_figures
from sciaid.regions.models import Area, Household

SEED = 586700
YEAR = 2020
TARGET = Decimal("586700.00")
SHOUXIAN = "340422000000"
YAOCI = "340422105201"
#: Drawing stops when a cart would leave less than this to reach the target: the make-up cart buys the rest.
MAKE_UP_FLOOR = Decimal("210")

#: (name, kind, village code or None for the county, county only, sold by the demo applicant, products)
SUPPLIERS = (
    (
        "寿县联众畜牧养殖有限公司",
        SupplierKind.ENTERPRISE,
        None,
        False,
        True,
        (
            ("黑毛猪肉礼盒", ProductCategory.MEAT_EGGS, "2.5 kg 盒", "60.00"),
            ("农家土鸡蛋", ProductCategory.MEAT_EGGS, "30 枚", "40.00"),
        ),
    ),
    (
        "隐贤镇姚祠村河蟹养殖专业合作社",
        SupplierKind.COOPERATIVE,
        YAOCI,
        False,
        False,
        (("姚祠河蟹", ProductCategory.AQUATIC, "8 只装礼盒", "200.00"),),
    ),
    (
        "寿县安丰塘富硒大米专业合作社",
        SupplierKind.COOPERATIVE,
        "340422106",
        False,
        False,
        (
            ("安丰塘富硒大米", ProductCategory.GRAIN_OIL, "5 kg 袋", "50.00"),
            ("压榨菜籽油", ProductCategory.GRAIN_OIL, "5 L 桶", "100.00"),
        ),
    ),
    (
        "寿县瓦埠湖水产有限公司",
        SupplierKind.ENTERPRISE,
        "340422107",
        False,
        False,
        (("瓦埠湖银鱼干", ProductCategory.AQUATIC, "500 g 袋", "80.00"),),
    ),
    (
        "正阳关镇养蜂户",
        SupplierKind.HOUSEHOLD,
        "340422112",
        True,
        False,
        (("正阳关土蜂蜜", ProductCategory.PROCESSED, "1 kg 瓶", "70.00"),),
    ),
)
#: (name, quota of 2020): the first is the demo buyer's own institution.
BUYERS = (
    ("淮南市科学技术局机关食堂", Decimal("200000")),
    ("寿县人民医院", Decimal("150000")),
    ("寿县第一中学", Decimal("150000")),
    ("寿县机关事务管理中心", Decimal("100000")),
)
STOCK = 100000


def build_market(admin: User, areas: dict[str, Area], users: dict[str, User]) -> Counter:
    """Build the market of 寿县's 2020; returns how many suppliers, products, buyers and orders were made."""
    return MarketPlanner(areas, users).build()


class MarketPlanner:
    def __init__(self, areas: dict[str, Area], users: dict[str, User]) -> None:
        self.rng = random.Random(SEED)
        self.areas, self.users = areas, users
        self.county = areas[SHOUXIAN]
        self.county_admin = users["county_admin"]
        self.counts: Counter[str] = Counter()
        self.products: list[Product] = []
        self.sellers: dict[int, User] = {}

    def build(self) -> Counter:
        self.suppliers()
        buyers = self.buyers()
        self.year_of_orders(buyers)
        # The services kept the stored figures while ordering; recomputing them proves it (nothing to repair).
        self.counts["market_figures_repaired"] = refresh_market_figures()["repaired"]
        return self.counts

    def village(self, code: str | None) -> Area:
        """The village of that code, or the first village of the township whose 9-digit prefix is given."""
        if code is None:
            return self.county
        if len(code) == 12:
            return self.areas[code]
        return min((a for c, a in self.areas.items() if c.startswith(code) and a.level == 5), key=lambda a: a.code)

    def suppliers(self) -> None:
        admin = self.county_admin
        for name, kind, place, county_only, own, products in SUPPLIERS:
            area = self.village(place)
            members = [self.users["applicant"]] if own else []
            supplier = services.save_supplier(
                admin,
                name=name,
                kind=kind,
                area=area,
                county_only=county_only,
                members=members,
                contact="",
            )
            certificate = services.submit_certificate(
                admin,
                supplier,
                number=f"AHFP-2020-{len(self.sellers) + 1:04d}",
                issuer="寿县扶贫开发局",
                valid_from=date(YEAR, 1, 1),
                valid_until=date(2030, 12, 31),
            )
            services.review_certificate(admin, certificate, approve=True)
            self.link_households(supplier, area)
            for product_name, category, unit, price in products:
                product = services.save_product(
                    admin,
                    supplier,
                    name=product_name,
                    category=category,
                    unit=unit,
                    price=price,
                    stock=STOCK,
                    origin=area if area.level == 5 else None,
                )
                services.review_product(admin, product, approve=True, certified=True)
                self.products.append(product)
            self.sellers[supplier.pk] = self.users["applicant"] if own else admin
            self.counts["market_suppliers"] += 1
        self.counts["market_products"] = len(self.products)

    def link_households(self, supplier: Supplier, area: Area) -> None:
        """Two or three registered households of the supplier's village (or county) share its sales."""
        households = list(Household.objects.filter(village__code__range=area.subtree_bounds).order_by("number")[:3])
        share = Decimal("100") if supplier.kind == SupplierKind.HOUSEHOLD else Decimal("20")
        for household in households[: 1 if supplier.kind == SupplierKind.HOUSEHOLD else 3]:
            services.save_beneficiary(self.county_admin, supplier, household=household, share=share)

    def buyers(self) -> list[tuple[Buyer, User]]:
        made = []
        for index, (name, quota) in enumerate(BUYERS):
            user = self.users["buyer"] if index == 0 else self.buyer_user(index)
            buyer = services.save_buyer(self.county_admin, name=name, area=self.county, members=[user])
            services.set_quota(self.county_admin, buyer, year=YEAR, amount=quota)
            made.append((buyer, user))
        self.counts["market_buyers"] = len(made)
        return made

    def buyer_user(self, index: int) -> User:
        user = User(username=f"market_buyer_{index}", organisation=BUYERS[index][0])
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.BUYER, area=self.county)
        return user

    def year_of_orders(self, buyers: list[tuple[Buyer, User]]) -> None:
        """The buyers' carts in turn through the year, until the next would pass the target; then the make-up."""
        total = Decimal("0")
        for turn in itertools.count():
            buyer, user = buyers[turn % len(buyers)]
            picks = self.rng.sample(self.products, self.rng.randint(1, 3))
            cart = {p.pk: self.rng.randint(10, 40) for p in picks}
            value = sum(p.price * cart[p.pk] for p in picks)
            if TARGET - total - value < MAKE_UP_FLOOR:
                break
            day = date(YEAR, turn // len(buyers) % 12 + 1, self.rng.randint(1, 28))
            total += self.place(buyer, user, cart, day)
        rice, eggs = self.product("安丰塘富硒大米"), self.product("农家土鸡蛋")
        rest = TARGET - total
        # Eggs (¥40) for the tens rice (¥50) cannot make; rest ≥ MAKE_UP_FLOOR leaves at least one bag of rice.
        eggs_needed = next(n for n in range(5) if (rest - eggs.price * n) % rice.price == 0)
        cart = {rice.pk: int((rest - eggs.price * eggs_needed) / rice.price)}
        if eggs_needed:
            cart[eggs.pk] = eggs_needed
        self.place(*buyers[0], cart, date(YEAR, 12, 28))

    def product(self, name: str) -> Product:
        return next(p for p in self.products if p.name == name)

    def place(self, buyer: Buyer, user: User, cart: dict[int, int], day: date) -> Decimal:
        """Place a cart and take each order through to settled; returns the amount placed."""
        placed = Decimal("0")
        for order in services.place_order(user, buyer, cart, on=day):
            seller = self.sellers[order.supplier_id]
            services.confirm_order(seller, order)
            services.ship_order(seller, order)
            services.receive_order(user, order)
            services.record_payment(user, order, amount=order.total, paid_on=day)
            placed += order.total
            self.counts["market_orders"] += 1
        return placed
