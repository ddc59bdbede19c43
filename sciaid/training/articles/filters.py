"""The article list's filters, shared by the page and the API: state, kind, category and a plain title search (the
Chinese search of the knowledge base is a page of its own)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sciaid.core.publishing import PublicationStatus
from sciaid.experts.models import Specialty
from sciaid.training.articles.choices import ArticleKind
from sciaid.training.articles.models import Article


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PublicationStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ArticleKind.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Specialty.objects.order_by("position", "code"), to_field_name="code"
    )

    class Meta:
        model = Article
        fields = ["q", "status", "kind", "category"]
