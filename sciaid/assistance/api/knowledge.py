"""API for the knowledge base grown from resolved demands: list and read, publish, dismiss."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.assistance import services
from sciaid.assistance.filters import KnowledgeFilter
from sciaid.assistance.models import (
    KnowledgeEntry,
)
from sciaid.core.api import (
    WRITE_ERRORS,
    ScopedReadOnlyViewSet,
    error_responses,
)


class KnowledgeEntrySerializer(serializers.ModelSerializer):
    specialty = serializers.SlugRelatedField(slug_field="code", read_only=True)
    specialty_name = serializers.CharField(source="specialty.name", read_only=True)

    class Meta:
        model = KnowledgeEntry
        fields = [
            "id",
            "title",
            "question",
            "body",
            "specialty",
            "specialty_name",
            "status",
            "published_at",
            "reviewed_at",
            "dismiss_reason",
            "demand",
        ]
        read_only_fields = fields


class PublishParams(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    question = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False)


class DismissParams(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(responses={200: KnowledgeEntrySerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: KnowledgeEntrySerializer, **error_responses(404)}),
)
class KnowledgeEntryViewSet(ScopedReadOnlyViewSet):
    """Solutions of resolved demands as knowledge: published ones for every role of the province, entries in review
    for the county desk, which publishes (with edits) or dismisses them."""

    queryset = KnowledgeEntry.objects.order_by("-created_at", "-id")
    serializer_class = KnowledgeEntrySerializer
    filterset_class = KnowledgeFilter
    select_related = ("specialty",)

    def _act(self, request, params, call):
        entry = self.get_object()
        body = params(data=request.data)
        body.is_valid(raise_exception=True)
        call(request.user, entry, **body.validated_data)
        entry.refresh_from_db()
        return Response(KnowledgeEntrySerializer(entry, context=self.get_serializer_context()).data)

    @extend_schema(request=PublishParams, responses={200: KnowledgeEntrySerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the entry, with the reviewer's edits (scrubbed of personal data again)."""
        return self._act(request, PublishParams, services.publish_knowledge)

    @extend_schema(request=DismissParams, responses={200: KnowledgeEntrySerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Dismiss the entry (or withdraw a published one), with an optional reason."""
        return self._act(request, DismissParams, services.dismiss_knowledge)
