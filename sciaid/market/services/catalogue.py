"""Suppliers, their certificates and beneficiary households, and their products with the county's review.

A supplier's people (applicant role, members of the supplier) register it, submit certificates and list products;
the county admin reviews certificates and products. A product is on sale while it is listed and its supplier holds
an approved certificate valid today (`Supplier.certified_until`, recomputed on every review).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.core.notifications import notify
from sciaid.core.roles import Role
from sciaid.core.scoping import area_allows
from sciaid.core.services import service
from sciaid.core.text import joined_tokens
from sciaid.market.choices import CertificateStatus, ProductCategory, ProductStatus, SupplierKind
from sciaid.market.models import MANAGERS, SUPPLIERS, Beneficiary, Certificate, Product, ProductPhoto, Supplier
from sciaid.market.services.common import (
    check_members,
    county_admins,
    county_of,
    positive_money,
    require_area,
    require_change,
    supplier_people,
)
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.regions.services import pinyin_of

#: Product fields whose change sends a listed product back to the county's review (so do new photos); price and
#: stock do not.
REVIEWED_FIELDS = ("name", "category", "unit", "description", "origin_id")


def _name(value: str, field: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


# --- suppliers ----------------------------------------------------------------------------------------------------


@service
def save_supplier(
    user,
    *,
    instance: Supplier | None = None,
    name: str,
    kind: str,
    area: Area,
    address: str = "",
    contact: str = "",
    county_only: bool = False,
    description: str = "",
    members=None,
) -> Supplier:
    """Register a supplier (a county admin, or an applicant, who then acts for it) or change one.

    Only the county sets who acts for a supplier; an applicant registering one becomes its member.
    """
    if kind not in SupplierKind.values:
        raise ValidationError({"kind": _("Choose the kind of supplier.")})
    if area.level < AreaLevel.COUNTY:
        raise ValidationError({"area": _("Choose the county, township or village the supplier is in.")})
    require_area(user, area, MANAGERS | SUPPLIERS)
    if instance is not None:
        require_change(user, instance)
    supplier = instance or Supplier()
    supplier.name = _name(name)
    supplier.pinyin, supplier.initials = pinyin_of(supplier.name)
    supplier.kind, supplier.area, supplier.address, supplier.contact = kind, area, address, contact
    supplier.county_only, supplier.description = county_only, description
    supplier.save()
    managing = area_allows(user, area, MANAGERS)
    if members is not None and managing:
        supplier.members.set(check_members(members, Role.APPLICANT))
    elif instance is None and not managing:
        supplier.members.add(user)
    require_change(user, supplier)
    return supplier


@service
def save_beneficiary(user, supplier: Supplier, *, household: Household, share) -> Beneficiary:
    """Link a registered household to a supplier with its share of the sales (all shares together at most 100 %)."""
    require_area(user, supplier.area, MANAGERS)
    if county_of(household.village) != supplier.county_code:
        raise ValidationError({"household": _("Choose a household of the supplier's county.")})
    share = positive_money(share, "share")
    # Two households linked at once: the second waits here for the first, then counts its share among the others.
    Supplier.objects.select_for_update().filter(pk=supplier.pk).values_list("pk").get()
    others = supplier.beneficiaries.exclude(household=household).aggregate(total=Sum("share"))["total"] or 0
    if share + others > 100:
        raise ValidationError({"share": _("The shares of all households together may not exceed 100 %.")})
    beneficiary, _created = Beneficiary.objects.update_or_create(
        supplier=supplier, household=household, defaults={"share": share}
    )
    return beneficiary


@service
def remove_beneficiary(user, beneficiary: Beneficiary) -> None:
    require_area(user, beneficiary.supplier.area, MANAGERS)
    beneficiary.delete()


# --- certificates -------------------------------------------------------------------------------------------------


@service
def submit_certificate(
    user, supplier: Supplier, *, number: str, issuer: str, valid_from: date, valid_until: date
) -> Certificate:
    """A supplier's certificate, waiting for the county's review (the county admins are told)."""
    require_change(user, supplier)
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("The certificate must end after it starts.")})
    certificate = Certificate.objects.create(
        supplier=supplier,
        number=_name(number, "number"),
        issuer=_name(issuer, "issuer"),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    notify(
        county_admins(supplier.area),
        title=lambda: _("Certificate to review: %(supplier)s") % {"supplier": supplier.name},
        url=supplier.get_absolute_url(),
        kind="market.certificate_submitted",
    )
    return certificate


@service
def review_certificate(user, certificate: Certificate, *, approve: bool, note: str = "") -> Certificate:
    """The county approves or rejects a certificate; the supplier's certification is recomputed at once."""
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the certificate is rejected.")})
    Certificate.workflow.apply(
        certificate,
        "approve" if approve else "reject",
        user,
        reviewer_id=user.pk,
        reviewed_at=timezone.now(),
        review_note=note.strip(),
    )
    refresh_certification(certificate.supplier)
    verdict = gettext_lazy("approved") if approve else gettext_lazy("rejected")
    notify(
        supplier_people(certificate.supplier),
        title=lambda: (
            _("Your certificate %(number)s was %(verdict)s") % {"number": certificate.number, "verdict": verdict}
        ),
        body=note,
        url=certificate.get_absolute_url(),
        kind="market.certificate_reviewed",
    )
    return certificate


def refresh_certification(supplier: Supplier) -> None:
    """`certified_until`: the latest end of an approved certificate that has started (none: not certified)."""
    latest = supplier.certificates.filter(
        status=CertificateStatus.APPROVED, valid_from__lte=timezone.localdate()
    ).aggregate(last=Max("valid_until"))["last"]
    Supplier.objects.filter(pk=supplier.pk).update(certified_until=latest)
    supplier.certified_until = latest


# --- products -----------------------------------------------------------------------------------------------------


def _stock(value) -> int:
    try:
        stock = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"stock": _("Give a whole number of pieces.")}) from None
    if stock < 0:
        raise ValidationError({"stock": _("The stock cannot be negative.")})
    return stock


@service
def save_product(
    user,
    supplier: Supplier | None = None,
    *,
    instance: Product | None = None,
    name: str,
    category: str,
    unit: str,
    price,
    stock=0,
    origin: Area | None = None,
    description: str = "",
    photos: Sequence = (),
) -> Product:
    """List a new product (it waits for the county's review) or change one, adding `photos` to its gallery.

    Price and stock change at once and never touch open orders (their lines keep the price they were ordered at);
    a change to what the product is (name, category, unit, description, origin, new photos) sends it back to review.
    """
    supplier = instance.supplier if instance is not None else supplier
    require_change(user, instance or supplier)
    if category not in ProductCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    if origin is not None and (origin.level != AreaLevel.VILLAGE or county_of(origin) != supplier.county_code):
        raise ValidationError({"origin": _("Choose a village of the supplier's county.")})
    product = instance or Product(supplier=supplier)
    before = {field: getattr(product, field) for field in REVIEWED_FIELDS} if instance else None
    product.name = _name(name)
    product.pinyin, product.initials = pinyin_of(product.name)
    product.words = joined_tokens(f"{product.name} {description}")[:500]
    product.category, product.unit = category, _name(unit, "unit")
    product.price, product.stock = positive_money(price, "price"), _stock(stock)
    product.origin, product.description = origin, description
    changed = before is None or any(before[field] != getattr(product, field) for field in REVIEWED_FIELDS)
    resubmitted = (changed or bool(photos)) and _to_review(product)
    product.save()
    if photos:
        ProductPhoto.gallery.add(user, product, photos)
    if instance is None or resubmitted:
        _tell_county(product)
    return product


def _to_review(product: Product) -> bool:
    """Set a product whose content changed to wait for the county's review again; False when it already waits."""
    if product.status == ProductStatus.PENDING:
        return False
    product.status = ProductStatus.PENDING
    return True


def _tell_county(product: Product) -> None:
    notify(
        county_admins(product.supplier.area),
        title=lambda: _("Product to review: %(name)s") % {"name": product.name},
        url=product.get_absolute_url(),
        kind="market.product_submitted",
    )


@service
def add_product_photos(user, product: Product, uploads: Sequence, *, caption: str = "") -> list[ProductPhoto]:
    """Add photos to the product's gallery (at most six; re-encoded, see `sciaid.core.photos`). The county sees
    every picture buyers will: a product on sale, turned down or withdrawn goes back to its review."""
    photos = ProductPhoto.gallery.add(user, product, uploads, caption=caption)
    if _to_review(product):
        product.save()
        _tell_county(product)
    return photos


@service
def remove_product_photo(user, photo: ProductPhoto) -> None:
    """Remove a photo (the next one becomes the catalogue's picture); nothing new to review."""
    ProductPhoto.gallery.remove(user, photo)


@service
def put_product_photo_first(user, photo: ProductPhoto) -> None:
    """Make the photo the product's picture in the catalogue."""
    ProductPhoto.gallery.put_first(user, photo)


@service
def review_product(user, product: Product, *, approve: bool, certified: bool = False, note: str = "") -> Product:
    """The county lists a product (marking it a certified poverty-alleviation product or not) or turns it down."""
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the product is turned down.")})
    changes = {"review_note": note.strip()}
    if approve:
        changes["certified"] = bool(certified)
    Product.workflow.apply(product, "approve" if approve else "reject", user, **changes)
    notify(
        supplier_people(product.supplier),
        title=lambda: (
            (_("Your product %(name)s is listed") if approve else _("Your product %(name)s was turned down"))
            % {"name": product.name}
        ),
        body=note,
        url=product.get_absolute_url(),
        kind="market.product_reviewed",
    )
    return product


@service
def withdraw_product(user, product: Product) -> Product:
    """Take a product off sale; open orders keep it."""
    return Product.workflow.apply(product, "withdraw", user)
