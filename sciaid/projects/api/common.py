"""What every projects endpoint shares: the error responses it documents, the role check, one `POST` per step of a
life, and answering with the object as it is now."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import error_responses
from sciaid.core.scoping import granted_roles, is_unrestricted

ACTION_ERRORS = error_responses(400, 403, 404, 409)


def require_roles(user, roles) -> None:
    if not (is_unrestricted(user) or granted_roles(user) & roles):
        raise PermissionDenied(_("Your role may not do this."))


def step(name: str, service: Callable, params: type[serializers.Serializer] | None, output, summary: str):
    """`POST /<resource>/{id}/<name>/`: validate `params`, call `service(user, obj, **data)`, return the object."""

    def handler(self, request, pk=None):
        obj = self.get_object()
        data = {}
        if params is not None:
            body = params(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        service(request.user, obj, **data)
        return self.fresh(obj)

    handler.__name__ = name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name.replace("_", "-"))(handler)
    return extend_schema(request=params, responses={200: output, **ACTION_ERRORS})(routed)


class FreshMixin:
    detail_serializer: type[serializers.Serializer]

    def fresh(self, obj, code: int = status.HTTP_200_OK) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data, status=code)
