"""Every change to the knowledge base goes through these functions (pages, the API and the demo call them): write and
correct an article, its video and cover, submit it, return it, publish it, withdraw it, and count its reads.

Each checks the acting user's role, jurisdiction and the article's state; transitions go through the state machine
(audit in the same transaction); the author hears when their article is published or returned, the county's
reviewers when one is submitted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sciaid.accounts.models import User
from sciaid.core import files, publishing
from sciaid.core.notifications import notify
from sciaid.core.publishing import PublicationStatus
from sciaid.core.richtext import plain_text, sanitise
from sciaid.core.roles import Role
from sciaid.core.scoping import CHANGE, area_allows, granted_roles, is_unrestricted, may
from sciaid.core.services import service
from sciaid.core.states import TransitionRefused
from sciaid.core.text import joined_tokens
from sciaid.regions.choices import AreaLevel
from sciaid.regions.services import pinyin_of
from sciaid.training.articles.choices import ArticleKind
from sciaid.training.articles.models import AUTHORS, REVIEWERS, Article

#: What a reviewer may still correct; an author who is not a reviewer corrects drafts only.
REVIEWER_EDITABLE = frozenset({PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN})
AUTHOR_EDITABLE = frozenset({PublicationStatus.DRAFT})
#: What an article's video and cover may be, recognised by their content.
VIDEO_TYPES = frozenset({files.MP4, files.WEBM})
COVER_TYPES = frozenset({files.JPEG, files.PNG, files.WEBP})
MB = 1024 * 1024


def editable_states(user) -> frozenset[str]:
    """The states in which `user` may correct an article they may change."""
    if is_unrestricted(user) or granted_roles(user) & REVIEWERS:
        return REVIEWER_EDITABLE
    return AUTHOR_EDITABLE


def may_edit(user, article: Article) -> bool:
    """Whether the form is offered: the state allows this user to correct the article (jurisdiction aside)."""
    return article.status in editable_states(user)


def video_type(upload) -> str:
    """The extension of an MP4 or WebM video of at most ARTICLE_VIDEO_MAX_MB; anything else is refused."""
    max_bytes = settings.ARTICLE_VIDEO_MAX_MB * MB
    refusal = _("Send an MP4 or WebM video.")
    return files.checked_type(upload, VIDEO_TYPES, field="video", max_bytes=max_bytes, refusal=refusal).extension


def cover_type(upload) -> str:
    """The extension of a readable JPEG, PNG or WebP image of at most ARTICLE_COVER_MAX_MB; anything else is
    refused."""
    max_bytes = settings.ARTICLE_COVER_MAX_MB * MB
    refusal = _("Send a JPEG, PNG or WebP image.")
    return files.checked_type(upload, COVER_TYPES, field="cover", max_bytes=max_bytes, refusal=refusal).extension


def _store(article: Article, field: str, upload, extension: str) -> None:
    """Save the upload under a random name of ours; the file it replaces is removed once the change is committed."""
    stored = getattr(article, field)
    old = stored.name if stored else ""
    stored.save(f"{field}{extension}", upload, save=False)
    if old:
        storage = stored.storage
        transaction.on_commit(lambda: storage.delete(old))


def _index(article: Article) -> None:
    """The stored columns the search reads: jieba words of the texts, pinyin and initials of the title."""
    text = " ".join((article.title, article.summary, article.tags, plain_text(article.body)))
    article.words = joined_tokens(text)
    article.title_pinyin = " ".join(pinyin_of(article.title))


@service
def save_article(user, *, instance: Article | None = None, video=None, cover=None, **fields) -> Article:
    """Write an article (a draft of the user's) or correct one in a state the user may still correct.

    fields: title, summary, body (sanitised here), category, tags, kind, video_link and area (a county or higher
    area the user writes for). video / cover: new uploads, checked by content.
    """
    if instance is not None:
        if not may(user, instance, CHANGE):
            raise PermissionDenied(_("This article is outside your jurisdiction."))
        if not may_edit(user, instance):
            raise ValidationError(_("This article can no longer be changed in its current state."))
    article = instance or Article(author=user, status=PublicationStatus.DRAFT)
    for key, value in fields.items():
        setattr(article, key, value)
    area = article.area if article.area_id else None
    if area is None or area.level > AreaLevel.COUNTY or not area_allows(user, area, AUTHORS):
        raise ValidationError({"area": _("Choose a county (or higher area) you write for.")})
    article.body = sanitise(article.body)
    if video is not None:
        _store(article, "video", video, video_type(video))
    if cover is not None:
        _store(article, "cover", cover, cover_type(cover))
    if article.kind == ArticleKind.VIDEO and not (article.video or article.video_link):
        raise ValidationError({"video": _("A video needs a video file or a link to one.")})
    _index(article)
    article.full_clean()
    article.save()
    if not may(user, article, CHANGE):  # re-checked after the write, inside the transaction
        raise PermissionDenied(_("This change would move the article outside your jurisdiction."))
    return article


@service
def delete_article(user, article: Article) -> None:
    """Discard a draft that will not be published (a published one is withdrawn instead)."""
    if not may(user, article, CHANGE):
        raise PermissionDenied(_("This article is outside your jurisdiction."))
    if article.status != PublicationStatus.DRAFT:
        raise TransitionRefused(_("Only a draft can be deleted; withdraw a published article instead."))
    files = [stored for stored in (article.video, article.cover) if stored]
    article.delete()
    for stored in files:
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))


def reviewers_of(article: Article):
    """The county admins of the article's area: they review what is written for it."""
    return User.objects.filter(grants__role=Role.COUNTY_ADMIN, grants__area=article.area_id)


def _tell_author(article: Article, kind: str, title, body="") -> None:
    notify([article.author], title=title, body=body, url=article.get_absolute_url(), kind=kind)


@service
def submit_article(user, article: Article) -> Article:
    """Hand a draft to the county's reviewers; they are told."""
    if not article.title.strip() or not (article.body or article.video or article.video_link):
        raise ValidationError(_("Write the article (or add its video) before submitting it."))
    article = publishing.submit(article, user)

    def title() -> str:
        return _("Article to review: %(title)s") % {"title": article.title}

    notify(reviewers_of(article), title=title, url=article.get_absolute_url(), kind="article.submitted")
    return article


@service
def return_article(user, article: Article, note: str) -> Article:
    """Send an article in review back to its author as a draft, saying what to change."""
    article = publishing.return_to_draft(article, user, note)

    def title() -> str:
        return _("Article returned: %(title)s") % {"title": article.title}

    _tell_author(article, "article.returned", title, article.review_note)
    return article


@service
def publish_article(user, article: Article) -> Article:
    """Publish an article in review (or republish a withdrawn one): the public and the province read it now."""
    article = Article.workflow.apply(article, "publish", user, published_at=timezone.now(), review_note="")

    def title() -> str:
        return _("Article published: %(title)s") % {"title": article.title}

    _tell_author(article, "article.published", title)
    return article


@service
def withdraw_article(user, article: Article, note: str = "") -> Article:
    """Take a published article off the public pages (outdated, wrong); it may be corrected and republished."""
    return publishing.withdraw(article, user, note)


def record_read(article: Article) -> None:
    """Count one read of a published article: one UPDATE adding 1 in the database, so concurrent reads all count
    (no read-modify-write race) and no audit entry is written for it."""
    Article.objects.filter(pk=article.pk, status=PublicationStatus.PUBLISHED).update(reads=F("reads") + 1)
