"""The core's own API resources: the user's notification inbox (`/api/v1/notifications/`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import ScopedReadOnlyViewSet, error_responses
from sciaid.core.filters import NotificationFilter
from sciaid.core.models import Notification
from sciaid.core.notifications import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


MarkedSerializer = inline_serializer("Marked", {"marked": serializers.IntegerField()})


@extend_schema_view(retrieve=extend_schema(responses={200: NotificationSerializer, **error_responses(404)}))
class NotificationViewSet(ScopedReadOnlyViewSet):
    """The requesting user's own notifications, newest first (`?unread=true` for the unread ones)."""

    queryset = Notification.objects.order_by("-created_at", "-id")
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        # Own messages only, even for operators whose scope is unrestricted.
        return super().get_queryset().filter(recipient=self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer, **error_responses(404)})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        notification = self.get_object()
        mark_read(request.user, [notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None, pagination_class=None)
    def read_all(self, request):
        """Mark all the user's unread notifications read; says how many were marked."""
        return Response({"marked": mark_read(request.user)})
