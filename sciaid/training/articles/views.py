"""Pages of the knowledge base: the authors' and reviewers' list, the form, the review buttons, and the article's own
page with its video, cover and printable leaflet.

The article page and its files are public once the article is published (anonymous visitors included, as the
county's public training page links them); before that they answer only to those whose jurisdiction holds the
article, and 404 to everyone else, as if it did not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from sciaid.core.actions import Step, StepView, open_steps
from sciaid.core.forms import ActingUserForm
from sciaid.core.notifications import absolute_url
from sciaid.core.publishing import PublicationStatus
from sciaid.core.scoping import CHANGE, PUBLIC, may
from sciaid.core.views import PublicFileView, RoleRequiredMixin, ScopedListView, ServiceFormView
from sciaid.training.articles import services
from sciaid.training.articles.filters import ArticleFilter
from sciaid.training.articles.forms import ArticleForm, NoteForm
from sciaid.training.articles.leaflet import leaflet_pdf
from sciaid.training.articles.models import AUTHORS, READERS, Article


class ArticleListView(RoleRequiredMixin, ScopedListView):
    """The articles of the user's areas in every state (an expert: their own, and what is published), newest first."""

    model = Article
    filterset_class = ArticleFilter
    select_related = ("area", "category", "author")
    template_name = "training/articles/list.html"
    required_roles = READERS | AUTHORS

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-id")


class ReadableArticleMixin:
    """Public pages about one article: what `Article.objects.readable_by` allows, else 404."""

    scoping = PUBLIC
    model = Article

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return obj is None or Article.objects.readable_by(user).filter(pk=obj.pk).exists()

    def get_queryset(self):
        return Article.objects.readable_by(self.request.user).select_related("area", "category", "author")


class ArticleDetailView(ReadableArticleMixin, DetailView):
    """The article as its readers see it; a read is counted for every view of a published article. Its reviewers
    and author also find the review steps open to them here."""

    template_name = "training/articles/detail.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.object.status == PublicationStatus.PUBLISHED:
            services.record_read(self.object)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, article = self.request.user, self.object
        can_change = user.is_authenticated and may(user, article, CHANGE)
        context.update(
            can_change=can_change,
            can_edit=can_change and services.may_edit(user, article),
            actions=open_steps(article, user, can_change),
            note_form=NoteForm(user=user),
            tags=[tag for tag in article.tags.replace("，", ",").replace(",", " ").split() if tag],
        )
        return context


class ArticleVideoView(ReadableArticleMixin, PublicFileView):
    """The uploaded video, with range requests so a phone can seek in it."""

    file_field = "video"


class ArticleCoverView(ReadableArticleMixin, PublicFileView):
    file_field = "cover"


class ArticleLeafletView(ReadableArticleMixin, DetailView):
    """The article as an A4 PDF to print for villages without smartphones, with a QR code to its page."""

    def render_to_response(self, context, **response_kwargs):
        path = self.object.get_absolute_url()
        url = absolute_url(path) if settings.SITE_URL else self.request.build_absolute_uri(path)
        response = HttpResponse(leaflet_pdf(self.object, url), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="article-{self.object.pk}.pdf"'
        return response


class ArticleFormView(RoleRequiredMixin, ServiceFormView):
    """Write an article (no pk) or correct one in a state the user may still correct."""

    model = Article
    form_class = ArticleForm
    template_name = "training/form.html"
    required_roles = AUTHORS

    @classmethod
    def may_open(cls, user, obj=None) -> bool:
        return super().may_open(user, obj) and (obj is None or services.may_edit(user, obj))

    def perform(self, form):
        return services.save_article(self.request.user, instance=self.object, **form.service_fields())

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit article") if self.object else _("Write an article"),
            "cancel_url": self.object.get_absolute_url() if self.object else reverse("training:article-list"),
        }


STEPS = {
    "submit": Step(
        ActingUserForm,
        lambda user, article, data: services.submit_article(user, article),
        _("Submitted: the county reviews it now."),
    ),
    "return": Step(
        NoteForm,
        lambda user, article, data: services.return_article(user, article, data["note"]),
        _("Returned to the author."),
    ),
    "publish": Step(
        ActingUserForm,
        lambda user, article, data: services.publish_article(user, article),
        _("Published: everyone can read it now."),
    ),
    "withdraw": Step(
        ActingUserForm, lambda user, article, data: services.withdraw_article(user, article), _("Withdrawn.")
    ),
}


class ArticleActionView(StepView):
    """POST one review step; a refusal is shown on the article's page and changes nothing."""

    model = Article
    steps = STEPS
