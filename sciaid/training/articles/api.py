"""API of the knowledge base: `articles` (list, read, write as multipart with `video` / `cover` files or as JSON),
with the review steps `submit`, `return` (with a note), `publish` and `withdraw`.

Writes go through `sciaid.training.articles.services`. Errors: 400 bad input — a video that is not MP4/WebM by its
content or is over ARTICLE_VIDEO_MAX_MB, a cover that is not a readable JPEG/PNG/WebP —, 403 wrong role, 404 outside
the user's jurisdiction, 409 a step the article's state does not allow.
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from sciaid.core.api import (
    ScopedModelViewSet,
    ScopedSlugRelatedField,
    crud_schema,
    error_responses,
    step_action,
)
from sciaid.experts.models import Specialty
from sciaid.regions.models import Area
from sciaid.training.articles import services
from sciaid.training.articles.filters import ArticleFilter
from sciaid.training.articles.models import Article


class ArticleSerializer(serializers.ModelSerializer):
    area = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), help_text="Division code of the county (or higher) it is for"
    )
    category = ScopedSlugRelatedField(
        slug_field="code", queryset=Specialty.objects.all(), required=False, allow_null=True
    )
    author = serializers.StringRelatedField(read_only=True)
    video = serializers.FileField(write_only=True, required=False, help_text="An MP4 or WebM file (multipart)")
    cover = serializers.FileField(write_only=True, required=False, help_text="A JPEG, PNG or WebP image (multipart)")
    url = serializers.SerializerMethodField(help_text="The article's page (public once published)")
    video_url = serializers.SerializerMethodField(help_text="The uploaded video, with range requests; empty if none")
    cover_url = serializers.SerializerMethodField(help_text="The cover image; empty if none")

    class Meta:
        model = Article
        fields = [
            "id",
            "kind",
            "title",
            "summary",
            "body",
            "category",
            "tags",
            "area",
            "author",
            "status",
            "review_note",
            "published_at",
            "reads",
            "video_link",
            "video",
            "cover",
            "url",
            "video_url",
            "cover_url",
            "created_at",
        ]
        read_only_fields = ["status", "review_note", "published_at", "reads", "created_at"]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, article: Article) -> str:
        return self._absolute(article.get_absolute_url())

    def get_video_url(self, article: Article) -> str:
        return self._absolute(reverse("training:article-video", args=[article.pk])) if article.video else ""

    def get_cover_url(self, article: Article) -> str:
        return self._absolute(reverse("training:article-cover", args=[article.pk])) if article.cover else ""


class ArticleReturnParams(serializers.Serializer):
    note = serializers.CharField(max_length=300, help_text="What the author should change")


@crud_schema(ArticleSerializer, destroy_errors=error_responses(403, 404, 409))
class ArticleViewSet(ScopedModelViewSet):
    """Articles and videos of the user's areas in every state (an expert: their own), and every published one of
    the province. Authors write drafts; the county reviews, publishes and withdraws."""

    queryset = Article.objects.order_by("-created_at", "-id")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    select_related = ("area", "category", "author")
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def fresh(self, article: Article) -> Article:
        return self.get_queryset().get(pk=article.pk)

    def create_object(self, serializer):
        return self.fresh(services.save_article(self.request.user, **serializer.validated_data))

    def update_object(self, serializer):
        saved = services.save_article(self.request.user, instance=serializer.instance, **serializer.validated_data)
        return self.fresh(saved)

    def delete_object(self, instance):
        services.delete_article(self.request.user, instance)

    submit_step = step_action(
        "submit", services.submit_article, None, ArticleSerializer, "Hand the draft to the county's reviewers."
    )
    return_step = step_action(
        "return", services.return_article, ArticleReturnParams, ArticleSerializer, "Send it back to its author."
    )
    publish_step = step_action(
        "publish", services.publish_article, None, ArticleSerializer, "Publish it (or republish a withdrawn one)."
    )
    withdraw_step = step_action(
        "withdraw", services.withdraw_article, None, ArticleSerializer, "Take it off the public pages."
    )
