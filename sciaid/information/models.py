"""News, policies, notices and publicity briefings a county (or the province) publishes, their attachments, and the
market prices it collects.

A news item belongs to the area that publishes it (a county, a city or the province): its drafts are that area's
managers' business, and once published it is read by everyone of that area and below — a county's notice by the
county, the province's by every county — and by the public without a login. Prices are public information once
entered; the county keeps them, per market.
"""

from __future__ import annotations

import os
import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel, actor_field
from sciaid.core.publishing import PublicationStatus, publication_workflow
from sciaid.core.roles import Role
from sciaid.core.scoping import PublishedScope, Scope
from sciaid.information.choices import NewsCategory
from sciaid.regions.models import Area

#: Who writes, reviews and publishes an area's news, and keeps its markets and prices.
WRITERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
READERS = frozenset({Role.SUPERVISOR})
ALL_ROLES = frozenset(Role.values)


def near(area: Area, code_path: str) -> Q:
    """Rows of `area` and below, and of the areas above it: what is published for the people of `area` (their
    county's notices and the province's)."""
    return Q(**{f"{code_path}__range": area.subtree_bounds}) | Q(**{f"{code_path}__in": area.ancestor_codes()})


def attachment_path(attachment: NewsAttachment, filename: str) -> str:
    """Never the uploaded name: a random one with the extension of the checked type."""
    return f"news/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class NewsItem(BaseModel):
    """A news item, policy, notice or publicity briefing: drafted and reviewed by its area's managers, published to
    its area and below (and the public), withdrawn when outdated. The body is sanitised rich text."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=NewsCategory.choices, default=NewsCategory.NEWS)
    #: The province, city or county that publishes it: its drafts' jurisdiction and its readers.
    area = models.ForeignKey(Area, verbose_name=_("published for"), on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_on = models.DateField(_("publish date"), null=True, blank=True)
    published_by = actor_field(_("published by"))
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    #: What the news search reads (`sciaid.core.search`), kept by the services on every save: the jieba words of title,
    #: summary and text, and the title's pinyin and initials.
    words = models.TextField(_("search words"), blank=True, editable=False)
    title_pinyin = models.CharField(_("title pinyin"), max_length=600, blank=True, editable=False)
    title_initials = models.CharField(_("title initials"), max_length=200, blank=True, editable=False)

    #: Derived from the text: an edit's audit entry shows the text itself.
    audit_exclude = ("words", "title_pinyin", "title_initials")
    #: Drafts and reviews stay with the item's area's managers; published items are read by every logged-in role of
    #: the province (they are public anyway); the public pages and the feed narrow them to a county with `near`.
    scope = PublishedScope(
        code_path="area__code", view=WRITERS | READERS, change=WRITERS, published=Q(status=PublicationStatus.PUBLISHED)
    )
    workflow = publication_workflow(WRITERS, WRITERS)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("news item")
        verbose_name_plural = _("news and notices")
        indexes = [
            models.Index(fields=["status", "area"], name="info_news_status_area_idx"),
            models.Index(fields=["status", "-published_on"], name="info_news_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("information:item-detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("information:public-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED


class NewsAttachment(BaseModel):
    """A file handed out with a news item (the notice's form, the policy's full text): PDF, office document or
    image, checked by content. Public once the item is published; until then only for those who may see the item."""

    item = models.ForeignKey(
        NewsItem, verbose_name=_("news item"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)
    media_type = models.CharField(_("media type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)

    #: The stored file's name says nothing a reader needs; title, type and size are logged.
    audit_exclude = ("file",)

    scope = PublishedScope(
        code_path="item__area__code",
        view=WRITERS | READERS,
        change=WRITERS,
        published=Q(item__status=PublicationStatus.PUBLISHED),
    )

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Product(BaseModel):
    """A product whose price is collected (水稻, 河蟹, 生猪 …): a small catalogue kept by the platform admins, so
    every county's prices of one product compare."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    unit = models.CharField(_("unit"), max_length=16, help_text=_("The usual unit of its price, e.g. 元/公斤."))

    scope = Scope(code_path=None, view=ALL_ROLES, change=frozenset({Role.PLATFORM_ADMIN}), catalogue=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class Market(BaseModel):
    """A market whose prices a county collects: a wholesale market, a town's fair, a purchase point."""

    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)

    scope = Scope(code_path="area__code", view=WRITERS | READERS, change=WRITERS)

    class Meta:
        ordering = ["area__code", "name"]
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="info_market_unique_name")]

    def __str__(self) -> str:
        return self.name


class MarketPrice(BaseModel):
    """The price of one product at one market on one day (one row per product, market and day)."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="prices")
    market = models.ForeignKey(Market, verbose_name=_("market"), on_delete=models.PROTECT, related_name="prices")
    date = models.DateField(_("date"))
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=16)

    scope = Scope(code_path="market__area__code", view=WRITERS | READERS, change=WRITERS)

    class Meta:
        ordering = ["-date", "product__name", "id"]
        verbose_name = _("market price")
        verbose_name_plural = _("market prices")
        constraints = [
            models.UniqueConstraint(fields=["product", "market", "date"], name="info_price_unique_day"),
            models.CheckConstraint(condition=Q(price__gte=0), name="info_price_not_negative"),
        ]
        indexes = [models.Index(fields=["date"], name="info_price_date_idx")]

    def __str__(self) -> str:
        return f"{self.product} {self.market} {self.date:%Y-%m-%d}"
