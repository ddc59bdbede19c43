"""Choices of the market app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupplierKind(models.TextChoices):
    HOUSEHOLD = "household", _("Poor household")
    COOPERATIVE = "cooperative", _("Cooperative")
    ENTERPRISE = "enterprise", _("Enterprise employing or buying from poor households")


class CertificateStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("certificate", "Rejected")


class ProductCategory(models.TextChoices):
    GRAIN_OIL = "grain_oil", _("Grain and oil")
    VEGETABLES_FRUIT = "vegetables_fruit", _("Vegetables and fruit")
    MEAT_EGGS = "meat_eggs", _("Meat, poultry and eggs")
    AQUATIC = "aquatic", _("Aquatic products")
    TEA_HERBS = "tea_herbs", _("Tea and herbs")
    PROCESSED = "processed", _("Processed food")
    HANDICRAFT = "handicraft", _("Handicrafts")
    OTHER = "other", _("Other products")


class ProductStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    LISTED = "listed", _("Listed")
    REJECTED = "rejected", pgettext_lazy("product", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")
    SHIPPED = "shipped", _("Shipped")
    RECEIVED = "received", _("Received")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")
    DISPUTED = "disputed", _("Disputed")


#: Orders that count as purchases in every figure: all but the cancelled ones.
PURCHASE_STATES = frozenset(OrderStatus.values) - {OrderStatus.CANCELLED}
#: Orders still running: a product's price change must not touch them (their lines keep their own price).
OPEN_STATES = frozenset({OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.RECEIVED})
