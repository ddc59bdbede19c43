"""The knowledge base (科普宣传): popular-science articles and videos a county publishes for its farmers.

An article belongs to the county (or higher area) that publishes it: its `area` is the jurisdiction of its drafts
and reviews, and where its public page lists it. Its body is sanitised rich text (`sciaid.core.richtext`); `words`
holds its jieba words and `title_pinyin` the pinyin and initials of its title, both kept by the services, so the
search reads stored columns only.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sciaid.core.models import BaseModel
from sciaid.core.publishing import PublicationStatus, publication_workflow
from sciaid.core.roles import Role
from sciaid.core.scoping import VIEW, PublishedScope, ScopedQuerySet
from sciaid.experts.models import Specialty
from sciaid.regions.models import Area
from sciaid.training.articles.choices import ArticleKind

#: Who reviews and publishes a county's articles (the platform admin everywhere).
REVIEWERS = frozenset({Role.PLATFORM_ADMIN, Role.COUNTY_ADMIN})
#: Who writes articles: the reviewers, and experts for the county of their grant.
AUTHORS = REVIEWERS | {Role.EXPERT}
#: Who reads every state of the articles of their areas.
READERS = REVIEWERS | {Role.SUPERVISOR}


def own_articles(user, grant) -> Q:
    """An expert sees and changes only the articles they wrote for the county of their grant."""
    return Q(author_id=user.pk, area__code__range=grant.area.subtree_bounds)


class ArticleQuerySet(ScopedQuerySet):
    def readable_by(self, user) -> ArticleQuerySet:
        """What `user` may read: every published article (as anonymous visitors may, through its page) and, within
        their jurisdiction, the drafts and reviews `for_user` allows."""
        return self.filter(status=PublicationStatus.PUBLISHED) | self.for_user(user, VIEW)


def article_file_path(article: Article, filename: str) -> str:
    """Never the uploaded name: a random one with the extension of the checked type."""
    return f"articles/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Article(BaseModel):
    """A popular-science article or video: written by an expert or the county, reviewed by the county, published
    to the public, withdrawn when outdated."""

    kind = models.CharField(_("kind"), max_length=16, choices=ArticleKind.choices, default=ArticleKind.ARTICLE)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    category = models.ForeignKey(
        Specialty, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Separated by spaces or commas."))
    cover = models.ImageField(_("cover image"), upload_to=article_file_path, blank=True)
    video = models.FileField(_("video file"), upload_to=article_file_path, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    #: The county (or city, province) that publishes it: its drafts' jurisdiction and its public page.
    area = models.ForeignKey(Area, verbose_name=_("published for"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT, db_index=True
    )
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reads = models.PositiveIntegerField(_("reads"), default=0, editable=False)
    #: Space-separated jieba words of title, summary, tags and body text, for the search.
    words = models.TextField(_("search words"), blank=True, editable=False)
    #: The title's pinyin and initials ("hexie yangzhi hxyz"), for pinyin search.
    title_pinyin = models.CharField(_("title pinyin"), max_length=600, blank=True, editable=False)

    #: Uploads are not JSON; the search columns are derived from the texts that are logged.
    audit_exclude = ("video", "cover", "words", "title_pinyin")
    objects = ArticleQuerySet.as_manager()
    #: Published articles are read by every logged-in role of the province (and anonymous visitors, on their page).
    scope = PublishedScope(
        code_path="area__code",
        view=READERS | {Role.EXPERT},
        change=AUTHORS,
        narrowed={Role.EXPERT: own_articles},
        published=Q(status=PublicationStatus.PUBLISHED),
    )
    workflow = publication_workflow(AUTHORS, REVIEWERS, republish=True, redraft=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "area"], name="training_article_status_idx"),
            models.Index(fields=["status", "published_at"], name="training_article_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:article-detail", args=[self.pk])
