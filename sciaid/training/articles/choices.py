"""Choices of the knowledge base: what kind of piece (its workflow states are `core.publishing.PublicationStatus`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
