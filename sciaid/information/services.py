"""Writing, reviewing and publishing news; attachments; markets and prices.

Every function checks the acting user's role and jurisdiction and the item's state, and writes the audit entry in the
same transaction (transitions through the state machine, saves through the audit signals). Bodies are sanitised
here, whoever sends them (page, API, import), so no path stores script.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sciaid.accounts.models import User
from sciaid.core import files, publishing
from sciaid.core.notifications import notify
from sciaid.core.publishing import PublicationStatus
from sciaid.core.richtext import plain_text, sanitise
from sciaid.core.scoping import CHANGE, area_allows, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.core.text import joined_tokens
from sciaid.information.models import WRITERS, Market, MarketPrice, NewsAttachment, NewsItem, Product, near
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area
from sciaid.regions.portal import count_again
from sciaid.regions.services import pinyin_of

#: An item's text and attachments change only while it is a draft; what is in review or published is what was read.
EDITABLE = frozenset({PublicationStatus.DRAFT})
ATTACHMENT_MAX_BYTES = getattr(settings, "NEWS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
#: What may be attached: documents and pictures, recognised by their content.
ATTACHMENT_TYPES = frozenset({files.PDF, files.DOCX, files.XLSX, files.PNG, files.JPEG})
SUMMARY_LENGTH = 120
#: The portal's tally of items published per area and year (`portal.py`), recounted on publishing and withdrawing.
PORTAL_TALLY = "information"


def public_items(area: Area | None = None):
    """Published items, for readers without a login: of `area` and below and of the areas above it (a county's
    readers get the county's and the province's); all of them without an area."""
    items = NewsItem.objects.filter(status=PublicationStatus.PUBLISHED)
    return items.filter(near(area, "area__code")) if area is not None else items


def _require_change(user, item: NewsItem) -> None:
    if not may(user, item, CHANGE):
        raise PermissionDenied(_("This item is outside your jurisdiction."))


def _check_area(user, area: Area | None) -> None:
    if area is None or area.level > AreaLevel.COUNTY:
        raise ValidationError({"area": _("Publish for a county, a city or the province.")})
    if not area_allows(user, area, WRITERS):
        raise ValidationError({"area": _("Choose an area of your jurisdiction.")})


def search_fields(title: str, summary: str, body: str) -> tuple[str, str, str]:
    """(words, title pinyin, title initials) the news search reads (`sciaid.core.search`): the jieba words of the
    title, summary and plain text, and the title's pinyin and initials (皖稻68 → wandao68, wd68)."""
    pinyin, initials = pinyin_of(title)
    return joined_tokens(" ".join((title, summary, plain_text(body)))), pinyin[:600], initials[:200]


@service
def save_item(user, *, instance: NewsItem | None = None, **fields) -> NewsItem:
    """Draft an item for an area the user runs, or correct a draft. The body is sanitised (no script, event handlers
    or javascript: links survive); the summary defaults to the body's first words."""
    if instance is not None:
        _require_change(user, instance)
        if instance.status not in EDITABLE:
            raise TransitionRefused(_("Only a draft can be changed; return it to draft first."))
    item = instance or NewsItem()
    for key, value in fields.items():
        setattr(item, key, value)
    item.title = (item.title or "").strip()
    item.body = sanitise(item.body)
    if not item.title:
        raise ValidationError({"title": _("Give a title.")})
    if not plain_text(item.body) and "<img" not in item.body:
        raise ValidationError({"body": _("Write the text.")})
    item.summary = (item.summary or "").strip() or plain_text(item.body)[:SUMMARY_LENGTH]
    item.words, item.title_pinyin, item.title_initials = search_fields(item.title, item.summary, item.body)
    _check_area(user, item.area if item.area_id else None)
    item.full_clean()
    item.save()
    _require_change(user, item)  # re-checked after the write, inside the transaction
    return item


@service
def delete_item(user, item: NewsItem) -> None:
    """Remove a draft that will not be published (a published item is withdrawn instead: links to it stay 404)."""
    _require_change(user, item)
    if item.status != PublicationStatus.DRAFT:
        raise TransitionRefused(_("Only a draft can be deleted; withdraw a published item instead."))
    for attachment in item.attachments.all():
        attachment.file.delete(save=False)
    item.delete()


def _authors(item: NewsItem):
    return User.objects.filter(pk=item.created_by_id)


def _reviewers(item: NewsItem):
    """The managers whose grant covers the item's area: the county's for a county item, the province's for all."""
    return User.objects.filter(
        grants__role__in=WRITERS, grants__area__code__in=[item.area.code, *item.area.ancestor_codes()]
    )


@service
def submit_item(user, item: NewsItem) -> NewsItem:
    """The author hands the draft to review; the area's managers hear of it."""
    publishing.submit(item, user)
    notify(
        _reviewers(item).exclude(pk=user.pk),
        title=gettext_lazy("A news item waits for review"),
        body=item.title,
        url=item.get_absolute_url(),
        kind="news.submitted",
        email=False,
    )
    return item


@service
def publish_item(user, item: NewsItem, *, on: date | None = None) -> NewsItem:
    """A manager of the item's area publishes it (dated today unless `on` is given): from now on its area's readers
    and the public read it, attachments included."""
    publishing.publish_dated(item, user, on=on)
    count_again(PORTAL_TALLY, (item.area.code, item.published_on.year))  # the portal's figures
    return item


@service
def return_item(user, item: NewsItem, note: str = "") -> NewsItem:
    """A reviewer sends the item back to draft with what to change; the author is told."""
    publishing.return_to_draft(item, user, note)
    notify(
        _authors(item).exclude(pk=user.pk),
        title=gettext_lazy("Your news item was returned"),
        body=item.review_note,
        url=item.get_absolute_url(),
        kind="news.returned",
        email=False,
    )
    return item


@service
def withdraw_item(user, item: NewsItem, note: str = "") -> NewsItem:
    """Take a published item off the public pages and the feed (outdated, wrong); its URL answers 404 again."""
    publishing.withdraw(item, user, note)
    count_again(PORTAL_TALLY, (item.area.code, item.published_on.year))  # the portal's figures
    return item


@service
def redraft_item(user, item: NewsItem) -> NewsItem:
    """Make a withdrawn item a draft again, to correct and publish it anew."""
    return publishing.redraft(item, user)


# --- attachments -------------------------------------------------------------------------------------------------


@service
def add_attachment(user, item: NewsItem, *, title: str, upload) -> NewsAttachment:
    """Attach a file to a draft the user may change."""
    _require_change(user, item)
    if item.status not in EDITABLE:
        raise TransitionRefused(_("Only a draft can be changed; return it to draft first."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the attachment a title.")})
    found = files.checked_type(
        upload,
        ATTACHMENT_TYPES,
        field="file",
        max_bytes=ATTACHMENT_MAX_BYTES,
        refusal=_("Send a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file."),
    )
    attachment = NewsAttachment(item=item, title=title[:200], media_type=found.media_type, size=upload.size)
    attachment.file.save(f"attachment{found.extension}", upload, save=False)
    attachment.save()
    return attachment


@service
def delete_attachment(user, attachment: NewsAttachment) -> None:
    item = attachment.item
    _require_change(user, item)
    if item.status not in EDITABLE:
        raise TransitionRefused(_("Only a draft can be changed; return it to draft first."))
    attachment.file.delete(save=False)
    attachment.delete()


# --- markets and prices ------------------------------------------------------------------------------------------


@service
def save_market(user, *, instance: Market | None = None, **fields) -> Market:
    """Record a market of an area the user runs (a county's wholesale market, a town's fair)."""
    if instance is not None and not may(user, instance, CHANGE):
        raise PermissionDenied(_("This market is outside your jurisdiction."))
    market = instance or Market()
    for key, value in fields.items():
        setattr(market, key, value)
    if market.area_id is None or not area_allows(user, market.area, WRITERS):
        raise ValidationError({"area": _("Choose an area of your jurisdiction.")})
    market.full_clean()
    market.save()
    return market


def check_price(price: Decimal | None) -> Decimal:
    if price is None or price < 0:
        raise ValidationError({"price": _("A price is a number of at least 0.")})
    return price


@service
def record_price(
    user, *, product: Product, market: Market, day: date, price: Decimal, unit: str = ""
) -> tuple[MarketPrice, bool]:
    """The price of a product at a market the user keeps on a day: a new row, or the day's row corrected.
    Returns (row, created)."""
    if not may(user, market, CHANGE):
        raise ValidationError({"market": _("Choose a market of your jurisdiction.")})
    check_price(price)
    row = MarketPrice.objects.filter(product=product, market=market, date=day).first()
    created = row is None
    row = row or MarketPrice(product=product, market=market, date=day)
    row.price, row.unit = price, (unit or "").strip() or product.unit
    row.full_clean(validate_constraints=False)
    row.save()
    return row, created


def latest_prices(markets):
    """The newest price of each product at each of `markets` (a queryset), one query: rows whose date is the
    newest of their product and market."""
    newest = (
        MarketPrice.objects.filter(product=OuterRef("product"), market=OuterRef("market"))
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        MarketPrice.objects.filter(market__in=markets, date=Subquery(newest))
        .select_related("product", "market", "market__area")
        .order_by("product__name", "market__name")
    )


def price_series(product: Product, market: Market, since: date | None = None):
    """(date, price) of one product at one market, oldest first, for the chart."""
    rows = MarketPrice.objects.filter(product=product, market=market)
    if since:
        rows = rows.filter(date__gte=since)
    return list(rows.order_by("date").values_list("date", "price"))


def public_markets(area: Area | None = None):
    """Markets whose prices the public reads: of `area` and below (all without an area)."""
    markets = Market.objects.all()
    return markets.filter(Q(area__code__range=area.subtree_bounds)) if area is not None else markets
