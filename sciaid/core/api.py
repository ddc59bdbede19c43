"""Base classes for the REST API: scoped viewsets, pagination, and errors as structured 400/403/404/409 bodies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sciaid.core.scoping import CHANGE, SCOPED, VIEW, may
from sciaid.core.states import TransitionRefused


def exception_handler(exc, context):
    """Django's ValidationError from services becomes a 400 with the field errors; a refused transition a 409."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    elif isinstance(exc, TransitionRefused):
        return Response({"detail": str(exc), "code": "transition_refused"}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class ScopedViewSetMixin:
    """Every object comes from `Model.objects.for_user(user, "view")`; writes need the "change" scope too.

    An object outside the user's jurisdiction is a 404 (its existence is not revealed); one that the user may see but
    not change is a 403.
    """

    scoping = SCOPED
    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        model = self.queryset.model
        qs = model._default_manager.for_user(self.request.user, VIEW)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        ordering = self.queryset.query.order_by
        return qs.order_by(*ordering) if ordering else qs

    def get_object(self):
        obj = super().get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not may(self.request.user, obj, CHANGE):
            raise PermissionDenied()
        return obj


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A writable viewset whose writes go through service functions: implement `create_object(serializer)`,
    `update_object(serializer)` and `delete_object(instance)` with calls to the app's services."""

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer)

    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer)

    def perform_destroy(self, instance):
        self.delete_object(instance)

    def create_object(self, serializer):
        raise NotImplementedError

    def update_object(self, serializer):
        raise NotImplementedError

    def delete_object(self, instance):
        raise NotImplementedError


__all__ = ["Http404", "ScopedModelViewSet", "ScopedReadOnlyViewSet", "exception_handler"]
