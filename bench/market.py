"""Consumption poverty alleviation at province scale: ~100,000 listed products of ~2,000 certified suppliers spread
over the province's counties (names from the knowledge search's Zipf vocabulary, stored words and pinyin as
`sciaid.market.services.catalogue` keeps them) and 20 buyer institutions, loaded with COPY once per province.

Measured:
1. the public catalogue search (`/market/?q=`, the shared stored-words search `sciaid.core.search`) for a visitor
   without a login, one row per query (a very common word down to a rare one, two words, pinyin, a category and
   price filter), beside the raw-SQL floor of the same reads (the search's candidate SELECTs and the first page);
   the target is p95 < 150 ms;
2. order placement: 20 buyers in 20 threads, each with its own PostgreSQL connection, placing carts through
   `sciaid.market.services.place_order`; a third of the carts also ask for one of a few "hot" products whose small
   stock runs out, so buyers contend for the same rows. Printed: orders/s, the conflict rate (OutOfStock, the
   API's 409) and whether any hot product was oversold (it must not be). The orders are deleted and the stock
   restored before and after, so every run starts alike.

`python -m bench --only market` measures these alone. Suppliers and buyers are named `bench_market …`, their users
`bench_market_…` (kept across plans: the audit log names them); the marker table is `bench_market`.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client

from bench.achievements import Searched
from bench.assistance import next_id, reset_sequence
from bench.commissioners import floor, page
from bench.generate import PROVINCE_CODE, CopyWriter, bounds, marker_seconds
from bench.measure import WARMUP, Row, compare
from bench.portal import draw, zipf
from sciaid.accounts.models import RoleGrant, User
from sciaid.core.roles import Role
from sciaid.core.search import CANDIDATES
from sciaid.core.text import tokens
from sciaid.market.choices import ProductCategory, ProductStatus, SupplierKind
from sciaid.market.models import Buyer, Order, OrderLine, Product, Supplier
from sciaid.market.services import OutOfStock, place_order
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.regions.services import pinyin_of

SEED = 832
MARKER_TABLE = "bench_market"
PREFIX = "bench_market"
#: Products per supplier, on average.
PER_SUPPLIER = 50
BUYERS = 20
#: Products every buyer may want, each with HOT_STOCK units: the rows the buyers contend for.
HOT_PRODUCTS = 10
HOT_STOCK = 30
STOCK = 1_000_000
#: Share of carts that also ask for a hot product.
HOT_SHARE = 1 / 3
NAME_WORDS = 2
NOUNS = ("大米", "菜籽油", "茶叶", "土鸡蛋", "腊肉", "蜂蜜", "木耳", "香菇", "红薯粉", "核桃")
CATEGORIES = [category.value for category in ProductCategory]
#: Rows of the catalogue's first page (CatalogueView.paginate_by).
PAGE_ROWS = 24
ON_SALE = (
    "FROM market_product p JOIN market_supplier s ON s.id = p.supplier_id "
    "WHERE p.status = 'listed' AND s.certified_until >= %s"
)
PAGE_COLUMNS = "p.id, p.name, p.pinyin, p.category, p.unit, p.price, p.stock, p.certified, s.id, s.name, a.id, a.name"


@dataclass(frozen=True)
class MarketPlan:
    products: int
    orders_per_buyer: int

    @classmethod
    def for_scale(cls, scale: float) -> MarketPlan:
        return cls(max(500, round(100_000 * scale)), 40)

    @property
    def suppliers(self) -> int:
        return max(10, self.products // PER_SUPPLIER)

    @property
    def key(self) -> str:
        return f"products={self.products},suppliers={self.suppliers},buyers={BUYERS},hot={HOT_PRODUCTS}"


def loaded_seconds(key: str) -> float | None:
    return marker_seconds(MARKER_TABLE, key)


def ensure_market(plan: MarketPlan, province_key: str, log=print) -> tuple[float, bool]:
    """Load suppliers, products and buyers for `plan` unless loaded; (seconds it took, generated now)."""
    key = f"{province_key};{plan.key}"
    seconds = loaded_seconds(key)
    if seconds is not None:
        return seconds, False
    started = time.perf_counter()
    with transaction.atomic():
        remove_market()
        MarketGenerator(plan, log).load()
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {MARKER_TABLE} (plan, seconds) VALUES (%s, %s)", [key, seconds])
    with connection.cursor() as cursor:
        for table in ("market_supplier", "market_product", "market_buyer"):
            cursor.execute(f"ANALYZE {table}")
    return seconds, True


def remove_market() -> None:
    """Drop what an earlier plan loaded (idempotent): orders of the bench buyers, products, suppliers, buyers."""
    loaded_seconds("")
    marked = [f"{PREFIX}%"]
    buyers = "SELECT id FROM market_buyer WHERE name LIKE %s"
    suppliers = "SELECT id FROM market_supplier WHERE name LIKE %s"
    users = "SELECT id FROM accounts_user WHERE username LIKE %s"
    with connection.cursor() as cursor:
        orders = f"SELECT id FROM market_order WHERE buyer_id IN ({buyers})"
        cursor.execute(f"DELETE FROM market_orderline WHERE order_id IN ({orders})", marked)
        cursor.execute(f"DELETE FROM market_order WHERE buyer_id IN ({buyers})", marked)
        # The stored figures of these buyers and suppliers go with them, and the county rows of the generated
        # province (its orders are all the benchmark's).
        cursor.execute(f"DELETE FROM market_buyerfigures WHERE buyer_id IN ({buyers})", marked)
        cursor.execute(f"DELETE FROM market_supplierfigures WHERE supplier_id IN ({suppliers})", marked)
        cursor.execute(
            "DELETE FROM market_marketfigures "
            "WHERE county_id IN (SELECT id FROM regions_area WHERE code BETWEEN %s AND %s)",
            list(bounds(PROVINCE_CODE)),
        )
        cursor.execute(f"DELETE FROM market_buyer_members WHERE buyer_id IN ({buyers})", marked)
        cursor.execute("DELETE FROM market_buyer WHERE name LIKE %s", marked)
        cursor.execute(f"DELETE FROM market_product WHERE supplier_id IN ({suppliers})", marked)
        cursor.execute("DELETE FROM market_supplier WHERE name LIKE %s", marked)
        # The buyer users stay (the audit log keeps who placed the orders); their grants go with the areas.
        cursor.execute(f"DELETE FROM accounts_rolegrant WHERE user_id IN ({users})", [f"{PREFIX}_%"])
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")


class MarketGenerator:
    def __init__(self, plan: MarketPlan, log=print):
        self.plan, self.log, self.rng = plan, log, random.Random(SEED)
        self.counties = list(
            Area.objects.filter(level=AreaLevel.COUNTY, code__range=bounds(PROVINCE_CODE))
            .order_by("code")
            .values_list("pk", flat=True)
        )

    def load(self) -> None:
        started = time.perf_counter()
        suppliers = self.create_suppliers()
        self.create_products(suppliers)
        self.create_buyers()
        took = time.perf_counter() - started
        self.log(f"  {len(suppliers):,} suppliers, {self.plan.products:,} products, {BUYERS} buyers in {took:.1f} s")

    def create_suppliers(self) -> list[int]:
        first = next_id("market_supplier")
        writer = CopyWriter(Supplier, ["id"])
        until = (date.today() + timedelta(days=3650)).isoformat()
        kinds = [SupplierKind.COOPERATIVE, SupplierKind.ENTERPRISE, SupplierKind.HOUSEHOLD]
        count = self.plan.suppliers
        writer.copy(
            writer.line(
                {
                    "id": first + n,
                    "name": f"{PREFIX} 合作社{n}",
                    "pinyin": f"benchmarket hezuoshe{n}",
                    "initials": "bmhzs",
                    "kind": kinds[n % len(kinds)],
                    "area_id": self.counties[n % len(self.counties)],
                    "certified_until": until,
                }
            )
            for n in range(count)
        )
        reset_sequence("market_supplier")
        return list(range(first, first + count))

    def create_products(self, suppliers: list[int]) -> None:
        rng, pinyin = self.rng, zipf()[2]
        first = next_id("market_product")
        writer = CopyWriter(Product, ["id"])

        def lines():
            for n in range(self.plan.products):
                words = draw(rng, NAME_WORDS)
                noun = NOUNS[n % len(NOUNS)]
                name = f"{''.join(words)}{noun}"
                yield writer.line(
                    {
                        "id": first + n,
                        "supplier_id": suppliers[n % len(suppliers)],
                        "name": name,
                        "pinyin": "".join(pinyin[w][0] for w in words) + pinyin_of(noun)[0],
                        "initials": "".join(pinyin[w][1] for w in words) + pinyin_of(noun)[1],
                        "words": " ".join([*words, *tokens(noun)]),
                        "category": CATEGORIES[n % len(CATEGORIES)],
                        "unit": "5斤装",
                        "price": f"{rng.randint(1_000, 30_000) / 100:.2f}",
                        "stock": HOT_STOCK if n < HOT_PRODUCTS else STOCK,
                        "certified": True,
                        "status": ProductStatus.LISTED,
                    }
                )

        writer.copy(lines())
        reset_sequence("market_product")

    def create_buyers(self) -> None:
        password = make_password(None)
        for n in range(BUYERS):
            area_id = self.counties[n % len(self.counties)]
            user, _created = User.objects.get_or_create(
                username=f"{PREFIX}_buyer{n:02d}", defaults={"password": password}
            )
            RoleGrant.objects.create(user=user, role=Role.BUYER, area_id=area_id)
            buyer = Buyer.objects.create(
                name=f"{PREFIX} 采购单位{n:02d}", pinyin=f"benchmarket{n:02d}", area_id=area_id
            )
            buyer.members.add(user)


# --- the catalogue search -----------------------------------------------------------------------------------------


def queries() -> list[tuple[str, dict]]:
    """(kind, GET parameters) of the catalogue requests measured."""
    words, _weights, pinyin = zipf()
    return [
        ("very common word", {"q": words[0]}),
        ("common word", {"q": words[20]}),
        ("mid word", {"q": words[200]}),
        ("rare word", {"q": words[2000]}),
        ("two words", {"q": f"{words[6]}{words[7]}"}),
        ("pinyin of a name word", {"q": pinyin[words[6]][0]}),
        ("word + category + price", {"q": words[1], "category": CATEGORIES[0], "price_min": 50, "price_max": 150}),
    ]


def searched(params: dict) -> Searched:
    """The products on sale the search reads for these GET parameters: `q` runs after the other filters
    (`core.search.SearchLastMixin`), so the category and price narrow its candidate SELECTs."""
    source, args = ON_SALE, [date.today()]
    if "category" in params:
        source += " AND p.category = %s AND p.price >= %s AND p.price <= %s"
        args += [params["category"], params["price_min"], params["price_max"]]
    return Searched(source, tuple(args), key="p.id", words="p.words", title="p.name", pinyin=("p.pinyin", "p.initials"))


def catalogue_floor(params: dict):
    """The search's candidate SELECTs, then the first page of the matches in the catalogue's order."""
    search = searched(params)
    page_sql = (
        f"SELECT {PAGE_COLUMNS} FROM market_product p JOIN market_supplier s ON s.id = p.supplier_id "
        f"LEFT JOIN regions_area a ON a.id = s.area_id WHERE p.id = ANY(%s) ORDER BY p.pinyin, p.id LIMIT {PAGE_ROWS}"
    )
    # The page's cover photos, one query for the page as the catalogue's prefetch does.
    photos_sql = (
        "SELECT ph.id, ph.product_id, ph.image, ph.caption, ph.position, ph.width, ph.height "
        "FROM market_productphoto ph "
        f"WHERE ph.product_id IN (SELECT p.id FROM market_product p WHERE p.id = ANY(%s) ORDER BY p.pinyin, p.id "
        f"LIMIT {PAGE_ROWS}) ORDER BY ph.position, ph.id"
    )
    ids = search.first_page(params["q"], CANDIDATES)
    return floor([*search.reads(params["q"]), (page_sql, [ids]), (photos_sql, [ids])])


# --- order placement ----------------------------------------------------------------------------------------------


def reset_orders(plan: MarketPlan) -> None:
    """Delete the bench buyers' orders and give every bench product its planned stock back."""
    orders = Order.objects.filter(buyer__name__startswith=PREFIX)
    OrderLine.objects.filter(order__in=orders).delete()
    orders.delete()
    products = Product.objects.filter(supplier__name__startswith=PREFIX)
    hot = hot_products()
    products.filter(pk__in=hot).update(stock=HOT_STOCK)
    products.exclude(pk__in=hot).exclude(stock=STOCK).update(stock=STOCK)


def hot_products() -> list[int]:
    return list(
        Product.objects.filter(supplier__name__startswith=PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)[:HOT_PRODUCTS]
    )


@dataclass
class Tally:
    carts: int = 0
    orders: int = 0
    conflicts: int = 0


def buyer_thread(
    buyer: Buyer, user: User, carts: list[dict], start: threading.Barrier, tally: Tally, lock: threading.Lock
) -> None:
    """Place `carts` one after another on this thread's own connection; count what succeeded and what ran out."""
    mine = Tally()
    try:
        start.wait()
        for cart in carts:
            try:
                orders = place_order(user, buyer, cart)
            except OutOfStock:
                mine.conflicts += 1
                continue
            mine.carts += 1
            mine.orders += len(orders)
    finally:
        connection.close()
    with lock:
        tally.carts += mine.carts
        tally.orders += mine.orders
        tally.conflicts += mine.conflicts


def make_carts(plan: MarketPlan, rng: random.Random, hot: list[int], others: list[int]) -> list[dict]:
    """Carts of 1–3 ordinary products (usually of different suppliers), a third of them with a hot product too."""
    carts = []
    for _ in range(plan.orders_per_buyer):
        cart = {pk: rng.randint(1, 5) for pk in rng.sample(others, rng.randint(1, 3))}
        if rng.random() < HOT_SHARE:
            cart[rng.choice(hot)] = rng.randint(1, 3)
        carts.append(cart)
    return carts


def order_placement(plan: MarketPlan) -> Row:
    reset_orders(plan)
    rng = random.Random(SEED)
    hot = hot_products()
    others = list(
        Product.objects.filter(supplier__name__startswith=PREFIX).exclude(pk__in=hot).values_list("pk", flat=True)
    )
    buyers = list(Buyer.objects.filter(name__startswith=PREFIX).prefetch_related("members").order_by("name"))
    start, lock, tally = threading.Barrier(len(buyers) + 1), threading.Lock(), Tally()
    threads = [
        threading.Thread(
            target=buyer_thread,
            args=(buyer, buyer.members.all()[0], make_carts(plan, rng, hot, others), start, tally, lock),
        )
        for buyer in buyers
    ]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    sold = sum(OrderLine.objects.filter(product_id__in=hot, order__buyer__in=buyers).values_list("quantity", flat=True))
    left = sum(Product.objects.filter(pk__in=hot).values_list("stock", flat=True))
    oversold = "none oversold" if sold + left == HOT_STOCK * len(hot) and left >= 0 else "OVERSOLD"
    attempts = tally.carts + tally.conflicts
    reset_orders(plan)
    return Row(
        f"order placement (place_order), {len(buyers)} concurrent buyers",
        f"{attempts:,} carts, {len(hot)} hot products × {HOT_STOCK}",
        rate=tally.orders / seconds,
        note=(
            f"orders/s; {tally.carts / seconds:.0f} carts/s, {tally.orders:,} orders in {seconds:.1f} s; "
            f"conflicts (409) {tally.conflicts / attempts:.1%}; hot units sold {sold}, {oversold}"
        ),
    )


def measure_market(seconds: float, generated: bool, plan: MarketPlan, repeat: int) -> list[Row]:
    rows = [
        Row(
            "generate suppliers, products and buyers (COPY)",
            f"{plan.suppliers:,} suppliers, {plan.products:,} products",
            rate=(plan.suppliers + plan.products) / seconds,
            note=f"{seconds:.0f} s, {'generated now' if generated else 'loaded earlier'}",
        )
    ]
    client = Client()  # a visitor without a login
    for kind, params in queries():
        cases = [(page(client, "/market/", params), catalogue_floor(params))] * (repeat + WARMUP)
        size = f"{searched(params).matches(params['q']):,} of {plan.products:,}"
        note = f"{params['q']}; target p95 < 150 ms"
        rows.append(compare(f"market catalogue search (public): {kind}", size, cases, note=note))
    rows.append(order_placement(plan))
    return rows


__all__ = ["MarketPlan", "ensure_market", "measure_market", "remove_market"]
