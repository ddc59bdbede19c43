"""Choices of the information service: kinds of news item, their workflow states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsCategory(models.TextChoices):
    NEWS = "news", _("News")
    POLICY = "policy", _("Policy")
    NOTICE = "notice", _("Notice")
    BRIEFING = "briefing", _("Publicity briefing")
