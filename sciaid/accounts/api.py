"""API for users and role grants, and the token login (`auth/token/`).

Users are listed within the caller's jurisdiction; creating users and granting roles go through
`sciaid.accounts.services`, which refuses anything outside the caller's jurisdiction or above their own powers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.throttling import ScopedRateThrottle

from sciaid.accounts import services
from sciaid.accounts.filters import RoleGrantFilter, UserFilter
from sciaid.accounts.models import RoleGrant, User
from sciaid.core.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    error_responses,
    phone_field,
)
from sciaid.core.roles import Role
from sciaid.core.scoping import PUBLIC
from sciaid.regions.models import Area


class GrantSerializer(serializers.ModelSerializer):
    user = ScopedPrimaryKeyRelatedField(queryset=User.objects.all())
    user_name = serializers.CharField(source="user.username", read_only=True)
    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text=_("Area code"))
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["id", "user", "user_name", "role", "area", "area_name", "created_at"]
        read_only_fields = ["created_at"]
        # The service refuses duplicates with a clear message; no separate unique-together validator.
        validators = []


class UserGrantSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = RoleGrant
        fields = ["id", "role", "area", "area_name"]


def granted_areas(user: User) -> list[Area]:
    return [grant.area for grant in user.grants.all()]


class UserSerializer(serializers.ModelSerializer):
    phone = phone_field("phone", granted_areas)
    grants = UserGrantSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "organisation",
            "is_active",
            "grants",
            "date_joined",
            "last_login",
        ]
        read_only_fields = ["username", "date_joined", "last_login"]


class UserCreateSerializer(UserSerializer):
    """A new account with its first role over an area (an account without a role would be invisible)."""

    password = serializers.CharField(
        write_only=True, required=False, allow_blank=True, style={"input_type": "password"}
    )
    role = serializers.ChoiceField(choices=Role.choices, write_only=True)
    area = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), write_only=True, help_text=_("Area code")
    )

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "password", "role", "area"]
        read_only_fields = ["is_active", "date_joined", "last_login"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: UserSerializer, **error_responses(404)}),
    create=extend_schema(request=UserCreateSerializer, responses={201: UserSerializer, **error_responses(400, 403)}),
    update=extend_schema(responses={200: UserSerializer, **error_responses(400, 403, 404)}),
    partial_update=extend_schema(responses={200: UserSerializer, **error_responses(400, 403, 404)}),
)
class UserViewSet(ScopedModelViewSet):
    """Users holding a role in your jurisdiction. Accounts are deactivated (`is_active: false`), never deleted."""

    queryset = User.objects.order_by("username")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("grants__area")

    def get_serializer_class(self):
        return UserCreateSerializer if self.action == "create" else UserSerializer

    def create_object(self, serializer):
        return services.create_user(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        data = dict(serializer.validated_data)
        active = data.pop("is_active", None)
        user = services.update_user(self.request.user, serializer.instance, **data)
        if active is not None and active != user.is_active:
            user = services.set_active(self.request.user, user, active)
        return user

    def perform_create(self, serializer):
        super().perform_create(serializer)
        # Answer with the user as read back, grants included.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


@extend_schema_view(
    retrieve=extend_schema(responses={200: GrantSerializer, **error_responses(404)}),
    create=extend_schema(responses={201: GrantSerializer, **error_responses(400, 403)}),
    destroy=extend_schema(responses={204: None, **error_responses(400, 403, 404)}),
)
class RoleGrantViewSet(ScopedModelViewSet):
    """Role grants in your jurisdiction: who holds which role over which area. Grant with POST, revoke with DELETE."""

    queryset = RoleGrant.objects.order_by("user__username", "role", "area__code")
    serializer_class = GrantSerializer
    filterset_class = RoleGrantFilter
    select_related = ("user", "area")
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.grant_role(self.request.user, data["user"], data["role"], data["area"])

    def delete_object(self, instance):
        services.revoke_role(self.request.user, instance)


class TokenSerializer(AuthTokenSerializer):
    """Username or mobile phone number, and password."""

    username = serializers.CharField(label=_("Username or mobile phone"), write_only=True)


class ObtainTokenView(ObtainAuthToken):
    """POST username (or phone) and password, get {"token": …}; then send `Authorization: Token <token>`.

    Throttled per address, and failed logins count towards the same lockout as the login page (django-axes).
    """

    scoping = PUBLIC
    serializer_class = TokenSerializer
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong username or password."),
            403: OpenApiResponse(description="Locked out after repeated failures."),
            429: OpenApiResponse(description="Too many attempts; wait and try again."),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the request when the account is locked; say so rather than "wrong password".
            if getattr(request, "axes_locked_out", False):
                raise PermissionDenied(_("Too many failed logins: this account is locked for a while.")) from None
            raise
