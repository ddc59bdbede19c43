"""Checks and helpers every market service shares: who acts for whom, who is told, money and quantities."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sciaid.accounts.models import User
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, is_unrestricted, may
from sciaid.market.models import MANAGERS, Buyer, Supplier
from sciaid.regions.models import Area

CENT = Decimal("0.01")
#: Above this an amount is a typing mistake, not a purchase.
MONEY_LIMIT = Decimal("1e10")


def positive_money(value, field: str) -> Decimal:
    """A price or amount in yuan: more than zero, at most two decimals (a 400 with the field's name otherwise)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Give the amount in yuan, e.g. 12.50.")}) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError({field: _("Give the amount in yuan with at most two decimal places.")})
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount >= MONEY_LIMIT:
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(CENT)


def positive_quantity(value, field: str = "quantity") -> int:
    """A whole number of pieces, at least one."""
    try:
        quantity = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a whole number of pieces.")}) from None
    if quantity != value and str(quantity) != str(value).strip():
        raise ValidationError({field: _("Give a whole number of pieces.")})
    if quantity <= 0:
        raise ValidationError({field: _("The quantity must be at least 1.")})
    return quantity


def require_area(user, area: Area, roles) -> None:
    if not area_allows(user, area, roles):
        raise PermissionDenied(_("This area is outside your jurisdiction."))


def require_change(user, obj) -> None:
    """The user may change this very object (their own supplier, their county's buyer …)."""
    if not may(user, obj, CHANGE):
        raise PermissionDenied(_("You may not change this record."))


def is_manager_of(user, area: Area) -> bool:
    return area_allows(user, area, MANAGERS)


def county_of(area: Area) -> str:
    """The division code of the county an area lies in (itself for a county)."""
    return area.code[:6].ljust(12, "0")


def county_admins(area: Area) -> QuerySet[User]:
    """The county admins of the county `area` lies in: they are told what waits for the county."""
    return User.objects.filter(grants__role=Role.COUNTY_ADMIN, grants__area__code=county_of(area)).distinct()


def supplier_people(supplier: Supplier) -> QuerySet[User]:
    """Who hears for a supplier: its members, or — a household without a login — the county that acts for it."""
    members = supplier.members.all()
    return members if members.exists() else county_admins(supplier.area)


def buyer_people(buyer: Buyer) -> QuerySet[User]:
    return buyer.members.all()


def is_member(user, obj: Supplier | Buyer) -> bool:
    return is_unrestricted(user) or obj.members.filter(pk=user.pk).exists()


def check_members(users, role: str, field: str = "members") -> list[User]:
    """People acting for a supplier or buyer must hold its role (applicant or buyer) somewhere."""
    users = list(users or [])
    missing = [user for user in users if not user.grants.filter(role=role).exists()]
    if missing:
        names = "、".join(user.get_username() for user in missing)
        raise ValidationError({field: _("These users lack the needed role: %(names)s.") % {"names": names}})
    return users
