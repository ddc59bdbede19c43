"""What every projects endpoint shares: the role check and answering with the object as it is now. (One `POST` per
step of a life is `sciaid.core.api.step_action`.)"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.response import Response

from sciaid.core.scoping import granted_roles, is_unrestricted


def require_roles(user, roles) -> None:
    if not (is_unrestricted(user) or granted_roles(user) & roles):
        raise PermissionDenied(_("Your role may not do this."))


class FreshMixin:
    detail_serializer: type[serializers.Serializer]

    def fresh(self, obj, code: int = status.HTTP_200_OK) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data, status=code)
