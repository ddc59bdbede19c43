"""Consumption poverty alleviation (消费扶贫): certified suppliers and their products, buyer institutions with yearly
quotas, orders split per supplier, and the payments recorded against them.

Who sees what (one `Scope` per model, DESIGN.md §2):
- county admins and platform admins run the market of their areas; supervisors read it;
- a supplier's people hold the applicant role (申报单位, "sell products") and are the supplier's `members`: they see
  and change their own supplier, its products and the orders placed with it, nothing else of the county;
- a buyer institution's people hold the buyer role and are the buyer's `members`: they see their own institution,
  quota and orders, and every product on sale in their province (a listed product of a supplier whose certificate
  is valid today) — an expired certificate hides the products from buyers.

Orders store the area of their supplier, so the county that sold is the county a figure counts them in, and a line
keeps the product's name, unit and price of the moment it was ordered.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel, actor_field
from sciaid.core.photos import Gallery, Photo
from sciaid.core.roles import Role
from sciaid.core.scoping import Scope, ScopedQuerySet
from sciaid.core.states import StateMachine, Transition
from sciaid.funds.models import LedgerEntry, LedgerQuerySet, money_field
from sciaid.market.choices import CertificateStatus, OrderStatus, ProductCategory, ProductStatus, SupplierKind
from sciaid.regions.models import Area, Household

MANAGERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
READERS = frozenset({Role.SUPERVISOR})
SUPPLIERS = frozenset({Role.APPLICANT})
BUYERS = frozenset({Role.BUYER})
#: Who acts for a supplier: its own people, or the county for a household without a login of its own.
SUPPLIER_SIDE = SUPPLIERS | MANAGERS

Narrow = Callable[[object, object], Q]


def supplier_member(path: str) -> Narrow:
    """Rows whose supplier (at `path`) has the user among its members; a subquery, so no duplicate rows."""

    def narrow(user, grant) -> Q:
        mine = Supplier.members.through.objects.filter(user_id=user.pk).values("supplier_id")
        return Q(**{f"{path}__in": mine})

    return narrow


def buyer_member(path: str) -> Narrow:
    """Rows whose buyer (at `path`) has the user among its members."""

    def narrow(user, grant) -> Q:
        mine = Buyer.members.through.objects.filter(user_id=user.pk).values("buyer_id")
        return Q(**{f"{path}__in": mine})

    return narrow


def certified_today(supplier_path: str = "") -> Q:
    """Suppliers (at `supplier_path`) whose approved certificate is valid today."""
    prefix = f"{supplier_path}__" if supplier_path else ""
    return Q(**{f"{prefix}certified_until__gte": timezone.localdate()})


def on_sale(product_path: str = "") -> Q:
    """Products (at `product_path`) a buyer may order: listed, of a supplier certified today."""
    prefix = f"{product_path}__" if product_path else ""
    return Q(**{f"{prefix}status": ProductStatus.LISTED}) & certified_today(f"{prefix}supplier")


def in_province(path: str, grant) -> Q:
    prefix = grant.area.code[:2]
    return Q(**{f"{path}__range": (prefix.ljust(12, "0"), prefix.ljust(12, "9"))})


class Supplier(BaseModel):
    """A poor household, cooperative or enterprise selling poverty-alleviation products."""

    name = models.CharField(_("name"), max_length=128)
    pinyin = models.CharField(_("pinyin"), max_length=256, blank=True, editable=False, db_index=True)
    initials = models.CharField(_("pinyin initials"), max_length=64, blank=True, editable=False)
    kind = models.CharField(_("kind of supplier"), max_length=16, choices=SupplierKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact person"), max_length=64, blank=True)
    county_only = models.BooleanField(
        _("sells within its county only"),
        default=False,
        help_text=_("Only buyers of the supplier's own county may order from it."),
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users acting for it"), blank=True, related_name="market_suppliers"
    )
    #: The latest validity of an approved certificate, kept by the certificate services: one indexed column decides
    #: whether the supplier's products are on sale today.
    certified_until = models.DateField(_("certified until"), null=True, blank=True, editable=False, db_index=True)

    scope = Scope(
        code_path="area__code",
        view=MANAGERS | READERS | SUPPLIERS | BUYERS,
        change=MANAGERS | SUPPLIERS,
        narrowed={
            Role.APPLICANT: supplier_member("pk"),
            Role.BUYER: lambda user, grant: certified_today() & in_province("area__code", grant),
        },
    )

    class Meta:
        ordering = ["pinyin", "id"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:supplier-detail", args=[self.pk])

    @property
    def county_code(self) -> str:
        return self.area.code[:6].ljust(12, "0")

    @property
    def is_certified(self) -> bool:
        return self.certified_until is not None and self.certified_until >= timezone.localdate()


class Beneficiary(BaseModel):
    """A registered household whose income benefits from a supplier's sales, with the share attributed to it."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="beneficiaries"
    )
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(
        _("share of sales (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    scope = Scope(
        code_path="supplier__area__code",
        view=MANAGERS | READERS | SUPPLIERS,
        change=MANAGERS,
        narrowed={Role.APPLICANT: supplier_member("supplier")},
    )

    class Meta:
        ordering = ["supplier", "id"]
        verbose_name = _("beneficiary household")
        verbose_name_plural = _("beneficiary households")
        constraints = [models.UniqueConstraint(fields=["supplier", "household"], name="market_beneficiary_unique")]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.household.head_name}"


class Certificate(BaseModel):
    """A poverty-alleviation product supplier certificate, reviewed by the county; expiry alerts go out beforehand."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=64)
    issuer = models.CharField(_("issued by"), max_length=128)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.PENDING
    )
    reviewer = actor_field(_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    #: Set when the expiry alert was sent (claimed with a conditional update, so it goes out once).
    alerted_at = models.DateTimeField(_("expiry alert sent at"), null=True, blank=True, editable=False)

    scope = Scope(
        code_path="supplier__area__code",
        view=MANAGERS | READERS | SUPPLIERS,
        change=MANAGERS | SUPPLIERS,
        narrowed={Role.APPLICANT: supplier_member("supplier")},
    )
    workflow = StateMachine(
        "status",
        [
            Transition("approve", frozenset({CertificateStatus.PENDING}), CertificateStatus.APPROVED, MANAGERS),
            Transition("reject", frozenset({CertificateStatus.PENDING}), CertificateStatus.REJECTED, MANAGERS),
        ],
    )

    class Meta:
        ordering = ["-valid_until", "-id"]
        verbose_name = _("supplier certificate")
        verbose_name_plural = _("supplier certificates")
        indexes = [models.Index(fields=["status", "valid_until"], name="market_certificate_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.number} · {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("market:supplier-detail", args=[self.supplier_id])


class ProductQuerySet(ScopedQuerySet):
    def on_sale(self) -> ProductQuerySet:
        return self.filter(on_sale())


class Product(BaseModel):
    """A poverty-alleviation product: listed once the county has reviewed it, on sale while its supplier is
    certified. `words` and the pinyin columns are what the catalogue search reads."""

    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=128)
    pinyin = models.CharField(_("pinyin"), max_length=256, blank=True, editable=False)
    initials = models.CharField(_("pinyin initials"), max_length=64, blank=True, editable=False)
    words = models.CharField(_("search words"), max_length=500, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=32, choices=ProductCategory.choices)
    unit = models.CharField(_("unit"), max_length=32, help_text=_("What one piece is, e.g. 5 kg bag or box of 30."))
    price = money_field(_("price (yuan)"))
    stock = models.PositiveIntegerField(_("stock"), default=0)
    origin = models.ForeignKey(
        Area, verbose_name=_("village of origin"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    certified = models.BooleanField(_("certified poverty-alleviation product"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ProductStatus.choices, default=ProductStatus.PENDING)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    #: The search columns follow from the name.
    audit_exclude = ("words", "pinyin", "initials")

    scope = Scope(
        code_path="supplier__area__code",
        view=MANAGERS | READERS | SUPPLIERS | BUYERS,
        change=MANAGERS | SUPPLIERS,
        narrowed={
            Role.APPLICANT: supplier_member("supplier"),
            Role.BUYER: lambda user, grant: on_sale() & in_province("supplier__area__code", grant),
        },
    )
    workflow = StateMachine(
        "status",
        [
            Transition("approve", frozenset({ProductStatus.PENDING}), ProductStatus.LISTED, MANAGERS),
            Transition(
                "reject", frozenset({ProductStatus.PENDING, ProductStatus.LISTED}), ProductStatus.REJECTED, MANAGERS
            ),
            Transition("withdraw", frozenset({ProductStatus.LISTED}), ProductStatus.WITHDRAWN, SUPPLIER_SIDE),
        ],
    )
    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["pinyin", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["status", "category"], name="market_product_status_idx"),
            models.Index(fields=["supplier", "status"], name="market_product_supplier_idx"),
            models.Index(fields=["price"], name="market_product_price_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(price__gt=0), name="market_product_price_positive")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:product-detail", args=[self.pk])


class ProductPhoto(Photo):
    """A photo of a product (up to six; the first is its picture in the catalogue), seen by whoever sees the
    product: the public while it is on sale."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos")

    gallery = Gallery(
        "product",
        folder="market/products",
        max_photos=6,
        max_bytes=getattr(settings, "MARKET_PHOTO_MAX_BYTES", 5 * 1024 * 1024),
        max_edge=getattr(settings, "MARKET_PHOTO_MAX_EDGE", 1280),
        quality=82,
    )
    scope = Scope(
        code_path="product__supplier__area__code",
        view=Product.scope.view,
        change=Product.scope.change,
        narrowed={
            Role.APPLICANT: supplier_member("product__supplier"),
            Role.BUYER: lambda user, grant: on_sale("product") & in_province("product__supplier__area__code", grant),
        },
    )

    class Meta(Photo.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")


class Buyer(BaseModel):
    """A buyer institution (采购单位: a bureau, canteen, school, hospital) buying instead of donating."""

    name = models.CharField(_("name"), max_length=128)
    pinyin = models.CharField(_("pinyin"), max_length=256, blank=True, editable=False, db_index=True)
    initials = models.CharField(_("pinyin initials"), max_length=64, blank=True, editable=False)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    contact = models.CharField(_("contact person"), max_length=64, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("buyer users"), blank=True, related_name="market_buyers"
    )

    scope = Scope(
        code_path="area__code",
        view=MANAGERS | READERS | BUYERS,
        change=MANAGERS,
        narrowed={Role.BUYER: buyer_member("pk")},
    )

    class Meta:
        ordering = ["pinyin", "id"]
        verbose_name = _("buyer institution")
        verbose_name_plural = _("buyer institutions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("market:buyer-detail", args=[self.pk])


class Quota(BaseModel):
    """The amount a buyer is to spend on poverty-alleviation products in a year (预留份额), set by its county."""

    buyer = models.ForeignKey(
        Buyer, verbose_name=_("buyer institution"), on_delete=models.CASCADE, related_name="quotas"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    amount = money_field(_("reserved amount (yuan)"))

    scope = Scope(
        code_path="buyer__area__code",
        view=MANAGERS | READERS | BUYERS,
        change=MANAGERS,
        narrowed={Role.BUYER: buyer_member("buyer")},
    )

    class Meta:
        ordering = ["-year", "buyer__pinyin", "id"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "year"], name="market_quota_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="market_quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} · {self.year}"


def order_scope(path: str = "") -> Scope:
    """Orders, their lines and payments: the supplier's county runs them; each side sees its own."""
    prefix = f"{path}__" if path else ""
    return Scope(
        code_path=f"{prefix}area__code",
        view=MANAGERS | READERS | SUPPLIERS | BUYERS,
        change=MANAGERS | SUPPLIERS | BUYERS,
        narrowed={
            Role.APPLICANT: supplier_member(f"{prefix}supplier"),
            Role.BUYER: buyer_member(f"{prefix}buyer"),
        },
    )


class Order(BaseModel):
    """What one buyer ordered from one supplier; a cart across suppliers becomes one order per supplier."""

    buyer = models.ForeignKey(
        Buyer, verbose_name=_("buyer institution"), on_delete=models.PROTECT, related_name="orders"
    )
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="orders")
    #: The supplier's area when the order was placed: the county that sold, for jurisdiction and figures.
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    total = money_field(_("total (yuan)"))
    placed_on = models.DateField(_("placed on"))
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True, help_text=_("Why it was cancelled or disputed."))

    scope = order_scope()
    workflow = StateMachine(
        "status",
        [
            Transition("confirm", frozenset({OrderStatus.PLACED}), OrderStatus.CONFIRMED, SUPPLIER_SIDE, _("Confirm")),
            Transition(
                "ship", frozenset({OrderStatus.CONFIRMED}), OrderStatus.SHIPPED, SUPPLIER_SIDE, _("Mark shipped")
            ),
            Transition("receive", frozenset({OrderStatus.SHIPPED}), OrderStatus.RECEIVED, BUYERS, _("Confirm receipt")),
            Transition("settle", frozenset({OrderStatus.RECEIVED}), OrderStatus.SETTLED, BUYERS | MANAGERS),
            Transition("reopen", frozenset({OrderStatus.SETTLED}), OrderStatus.RECEIVED, MANAGERS),
            Transition(
                "cancel",
                frozenset({OrderStatus.PLACED, OrderStatus.CONFIRMED}),
                OrderStatus.CANCELLED,
                BUYERS | SUPPLIER_SIDE,
                _("Cancel the order"),
            ),
            Transition(
                "dispute",
                frozenset({OrderStatus.SHIPPED, OrderStatus.RECEIVED}),
                OrderStatus.DISPUTED,
                BUYERS,
                _("Dispute"),
            ),
            Transition(
                "resolve", frozenset({OrderStatus.DISPUTED}), OrderStatus.RECEIVED, BUYERS | MANAGERS, _("Resolve")
            ),
        ],
    )

    class Meta:
        ordering = ["-placed_on", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["area", "placed_on"], name="market_order_area_idx"),
            models.Index(fields=["buyer", "placed_on"], name="market_order_buyer_idx"),
            models.Index(fields=["supplier", "status"], name="market_order_supplier_idx"),
        ]

    def __str__(self) -> str:
        return _("Order %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"{self.placed_on:%Y%m%d}-{self.pk:06d}" if self.pk else ""

    def get_absolute_url(self) -> str:
        return reverse("market:order-detail", args=[self.pk])


class OrderLine(BaseModel):
    """One product of an order, with the name, unit, category and price it had when ordered (a later change of the
    product leaves the line, and the figures it counted in, as they were)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=128)
    unit = models.CharField(_("unit"), max_length=32)
    category = models.CharField(_("category"), max_length=32, choices=ProductCategory.choices)
    price = money_field(_("price (yuan)"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    amount = money_field(_("amount (yuan)"))

    scope = order_scope("order")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class Payment(LedgerEntry):
    """A payment made offline and recorded here (never processed): append-only like the funds ledger, a mistake is
    corrected by a reversing entry (negative, pointing at the one it corrects, with a reason)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="payments")
    amount = money_field(_("amount (yuan)"))
    paid_on = models.DateField(_("paid on"))
    voucher = models.FileField(_("voucher scan"), upload_to="market/vouchers/%Y/", blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    reason = models.CharField(_("reason for reversal"), max_length=300, blank=True)

    audit_exclude = ("voucher",)

    scope = order_scope("order")
    objects = models.Manager.from_queryset(LedgerQuerySet)()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="market_payment_sign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("market:order-detail", args=[self.order_id])


# --- stored figures -----------------------------------------------------------------------------------------------
# Kept by the order services in the transaction that places or cancels an order (`services.figures`), recomputed
# from the orders by `manage.py refresh_market_figures`: the figures above a county read these rows, never the
# orders. A purchase counts in the county of its supplier at placing time and in the month it was placed.


def figure_amount() -> models.DecimalField:
    return models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, default=0)


class MarketFigures(models.Model):
    """Purchases from one county's suppliers in one month, by category: amount, pieces, and orders with a line of
    the category (an order of rice and eggs counts under both; whole orders are counted in `SupplierFigures`)."""

    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    category = models.CharField(_("category"), max_length=32, choices=ProductCategory.choices)
    amount = figure_amount()
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    orders = models.PositiveIntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("market figures")
        verbose_name_plural = _("market figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "county", "month", "category"], name="market_figures_once")
        ]

    def __str__(self) -> str:
        return f"{self.county_id} · {self.year}-{self.month:02d} · {self.category}"


class SupplierFigures(models.Model):
    """One supplier's purchases in one month, in the county they count in: amount and orders."""

    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="+")
    county = models.ForeignKey(Area, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount = figure_amount()
    orders = models.PositiveIntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("supplier figures")
        verbose_name_plural = _("supplier figures")
        constraints = [
            models.UniqueConstraint(fields=["year", "county", "supplier", "month"], name="market_supplier_figures_once")
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} · {self.year}-{self.month:02d}"


class BuyerFigures(models.Model):
    """What one buyer institution bought in a year, from any supplier: amount and orders."""

    buyer = models.ForeignKey(Buyer, verbose_name=_("buyer institution"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = figure_amount()
    orders = models.PositiveIntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("buyer figures")
        verbose_name_plural = _("buyer figures")
        constraints = [models.UniqueConstraint(fields=["year", "buyer"], name="market_buyer_figures_once")]

    def __str__(self) -> str:
        return f"{self.buyer_id} · {self.year}"
