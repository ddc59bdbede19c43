"""API for experts, the specialty tree and commissioner pairings.

Writes go through `sciaid.experts.services`; areas and specialties are accepted only from what the user may see,
and an expert's phone is masked for roles that may not read personal data in the expert's area.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import (
    CREATE_ERRORS,
    READ_ERRORS,
    PersonalDataField,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    crud_schema,
    error_responses,
)
from sciaid.core.privacy import mask_phone, optional_phone
from sciaid.experts import services
from sciaid.experts.filters import ExpertFilter, PairingFilter, SpecialtyFilter
from sciaid.experts.models import Expert, Pairing, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

WRITE_ERRORS = error_responses(400, 403, 404)


def writable(serializer: serializers.Serializer) -> dict:
    return dict(serializer.validated_data)


class ExpertSerializer(serializers.ModelSerializer):
    username = serializers.CharField(
        source="user.username", max_length=150, help_text=_("Login; on creation an existing account or a new one")
    )
    home_area = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level__lte=AreaLevel.COUNTY),
        help_text=_("Division code of the province, city or county that selected the expert"),
    )
    specialties = ScopedSlugRelatedField(slug_field="code", many=True, queryset=Specialty.objects.all())
    service_areas = ScopedSlugRelatedField(slug_field="code", many=True, queryset=Area.objects.all(), required=False)
    phone = PersonalDataField(
        max_length=20,
        full=lambda expert: expert.phone,
        masked=lambda expert: mask_phone(expert.phone),
        areas=lambda expert: expert.home_area,
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "username",
            "name",
            "organisation",
            "title",
            "level",
            "home_area",
            "specialties",
            "expertise",
            "service_areas",
            "availability",
            "phone",
            "is_commissioner",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["level", "is_commissioner", "is_active", "created_at", "updated_at"]
        extra_kwargs = {
            "is_commissioner": {
                "help_text": _(
                    "Set only by an approved selection batch or the roster import; a request changing it is refused"
                )
            }
        }

    def validate_phone(self, value: str) -> str:
        return optional_phone(value)

    def refuse_commissioner_flag(self) -> None:
        """A read-only field is silently dropped by DRF; a client asking to make (or unmake) a commissioner is told
        instead, since that bypasses selection. Sending the current value back (a PUT of a GET) is fine."""
        asked = getattr(self.initial_data, "get", lambda key: None)("is_commissioner")
        if asked is None:
            return
        try:
            wanted = serializers.BooleanField().to_internal_value(asked)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"is_commissioner": error.detail}) from None
        current = self.instance.is_commissioner if self.instance is not None else False
        if wanted != current:
            raise serializers.ValidationError(
                {
                    "is_commissioner": _(
                        "Commissioners come only from an approved selection batch or the roster import "
                        "(Commissioners → Batches); this flag cannot be set here."
                    )
                }
            )

    def validate(self, attrs):
        self.refuse_commissioner_flag()
        if self.instance is not None and "user" in attrs and attrs["user"]["username"] != self.instance.user.username:
            raise serializers.ValidationError({"username": _("An expert's login cannot change.")})
        return attrs


def service_kwargs(serializer: serializers.Serializer) -> dict:
    """The serializer's data as `save_expert` takes it."""
    data = writable(serializer)
    username = data.pop("user", {}).get("username", "")
    return {"username": username, **data} if serializer.instance is None else data


@crud_schema(ExpertSerializer, write_errors=WRITE_ERRORS)
class ExpertViewSet(ScopedModelViewSet):
    """Experts serving the user's areas; an expert reads and updates their own profile's expertise, availability
    and phone."""

    queryset = Expert.objects.order_by("name", "id")
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    select_related = ("home_area", "user")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("specialties", "service_areas")

    def create_object(self, serializer):
        return services.save_expert(self.request.user, **service_kwargs(serializer))

    def update_object(self, serializer):
        return services.save_expert(self.request.user, instance=serializer.instance, **service_kwargs(serializer))

    @extend_schema(request=None, responses={200: ExpertSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Take the expert out of routing; their history stays."""
        expert = services.deactivate_expert(request.user, self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=expert.pk)).data)

    @extend_schema(request=None, responses={200: ExpertSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        """Put an inactive expert back into routing."""
        expert = services.reactivate_expert(request.user, self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=expert.pk)).data)


class SpecialtySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Specialty.objects.all(), allow_null=True, required=False
    )
    name = serializers.CharField(read_only=True, help_text=_("In the request's language"))

    class Meta:
        model = Specialty
        fields = ["id", "code", "name", "name_zh", "name_en", "parent", "position"]


@crud_schema(SpecialtySerializer, write_errors=WRITE_ERRORS, destroy_errors=WRITE_ERRORS)
class SpecialtyViewSet(ScopedModelViewSet):
    """The specialty tree: everyone with a role reads it, platform admins edit it."""

    queryset = Specialty.objects.order_by("parent_id", "position", "code")
    serializer_class = SpecialtySerializer
    filterset_class = SpecialtyFilter
    select_related = ("parent",)

    def create_object(self, serializer):
        return services.save_specialty(self.request.user, **writable(serializer))

    def update_object(self, serializer):
        return services.save_specialty(self.request.user, instance=serializer.instance, **writable(serializer))

    def delete_object(self, instance):
        services.delete_specialty(self.request.user, instance)


class PairingSerializer(serializers.ModelSerializer):
    expert = ScopedPrimaryKeyRelatedField(queryset=Expert.objects.all())
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    village = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.VILLAGE), help_text=_("Village division code")
    )
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Pairing
        fields = ["id", "expert", "expert_name", "village", "village_name", "year", "created_at"]
        read_only_fields = ["created_at"]
        # The service explains a duplicate in words; the generic unique-together message would not.
        validators = []


@extend_schema_view(
    retrieve=extend_schema(responses={200: PairingSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: PairingSerializer, **CREATE_ERRORS}),
    destroy=extend_schema(responses={204: None, **error_responses(403, 404)}),
)
class PairingViewSet(ScopedModelViewSet):
    """Commissioners paired with villages for a year (结对)."""

    queryset = Pairing.objects.order_by("-year", "village__code")
    serializer_class = PairingSerializer
    filterset_class = PairingFilter
    select_related = ("expert", "village")
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_object(self, serializer):
        return services.pair_commissioner(self.request.user, **writable(serializer))

    def delete_object(self, instance):
        services.unpair(self.request.user, instance)
