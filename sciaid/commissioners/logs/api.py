"""API of service logs: `service-logs`, recorded by a commissioner and confirmed (or returned) by the village info
officer or the county, one action each. A county admin records a log on a commissioner's behalf by naming the
`expert`: it is marked `entered_by_county` and counts as confirmed by the county."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from sciaid.commissioners.api import WRITE_ERRORS, choice_field, step
from sciaid.commissioners.logs import services
from sciaid.commissioners.logs.choices import LogStatus, ServiceKind
from sciaid.commissioners.logs.filters import ServiceLogFilter
from sciaid.commissioners.logs.models import LogPhoto, ServiceLog
from sciaid.commissioners.logs.services import MAX_LOG_PHOTOS
from sciaid.commissioners.teams.models import Team
from sciaid.core.api import (
    CREATE_ERRORS,
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.training.models import TrainingEvent


class LogPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Served only to those who may see the log")

    class Meta:
        model = LogPhoto
        fields = ["id", "url", "width", "height"]

    def get_url(self, photo: LogPhoto) -> str:
        path = reverse("commissioners:log-photo", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ServiceLogSerializer(serializers.ModelSerializer):
    expert = ScopedPrimaryKeyRelatedField(
        queryset=Expert.objects.filter(is_commissioner=True, is_active=True),
        required=False,
        help_text=(
            "The commissioner: left out by a commissioner recording their own service; named by a county admin "
            "recording one on a commissioner's behalf (then `entered_by_county`, confirmed by the county). Fixed once "
            "recorded"
        ),
    )
    village = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.filter(level=AreaLevel.VILLAGE))
    # Only households the user may see (a commissioner: of the villages they serve), so an id outside is "does not
    # exist" whether it exists or not; the service then accepts only households of the log's own village.
    households = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all(), many=True, required=False)
    team = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    # An event the user may not see "does not exist"; the service accepts only one fulfilling their agreements.
    training_event = ScopedPrimaryKeyRelatedField(
        queryset=TrainingEvent.objects.all(),
        required=False,
        allow_null=True,
        help_text="The training event this (training) log records; its attendance counts instead of `participants`",
    )
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    kind = choice_field(ServiceKind)
    status = choice_field(LogStatus, read_only=True)
    photos = LogPhotoSerializer(many=True, read_only=True)
    new_photos = serializers.ListField(
        child=serializers.FileField(),
        write_only=True,
        required=False,
        help_text=(
            f"Photos to add (multipart; JPEG, PNG or WebP; at most {MAX_LOG_PHOTOS} per log), re-encoded without "
            "EXIF data like the page's; refusals are reported under `photos`"
        ),
    )

    class Meta:
        model = ServiceLog
        fields = [
            "id",
            "expert",
            "expert_name",
            "team",
            "agreement",
            "village",
            "kind",
            "served_on",
            "summary",
            "participants",
            "training_event",
            "households",
            "other_households",
            "varieties",
            "techniques",
            "new_varieties",
            "new_techniques",
            "latitude",
            "longitude",
            "status",
            "confirmed_by",
            "confirmed_at",
            "return_note",
            "entered_by_county",
            "photos",
            "new_photos",
        ]
        read_only_fields = [
            "agreement",
            "status",
            "confirmed_by",
            "confirmed_at",
            "return_note",
            "entered_by_county",
        ]

    def validate_expert(self, expert: Expert) -> Expert:
        if self.instance is not None and expert != self.instance.expert:
            raise serializers.ValidationError(_("A log's commissioner cannot change."))
        return expert


class ReturnParams(serializers.Serializer):
    note = serializers.CharField()


@extend_schema_view(
    retrieve=extend_schema(responses={200: ServiceLogSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: ServiceLogSerializer, **CREATE_ERRORS}),
    partial_update=extend_schema(responses={200: ServiceLogSerializer, **WRITE_ERRORS}),
)
class ServiceLogViewSet(ScopedModelViewSet):
    """Service logs (服务记录): a commissioner records, the village info officer or the county confirms."""

    queryset = ServiceLog.objects.order_by("-served_on", "-id")
    serializer_class = ServiceLogSerializer
    filterset_class = ServiceLogFilter
    select_related = ("expert", "village")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("households", "photos")

    def create_object(self, serializer):
        fields = dict(serializer.validated_data)
        photos, expert = fields.pop("new_photos", []), fields.pop("expert", None)
        if expert is not None and expert.user_id != self.request.user.pk:
            return services.import_log(self.request.user, expert=expert, photos=photos, **fields)
        return services.log_service(self.request.user, photos=photos, **fields)

    def update_object(self, serializer):
        fields = dict(serializer.validated_data)
        fields.pop("expert", None)  # unchanged: validate_expert refuses another
        photos = fields.pop("new_photos", [])
        return services.update_log(self.request.user, serializer.instance, photos=photos, **fields)

    confirm = step("confirm", services.confirm_log, None, ServiceLogSerializer, "Confirm the service took place.")
    give_back = step(
        "return",
        lambda u, log, note: services.return_log(u, log, note),
        ReturnParams,
        ServiceLogSerializer,
        "Return the log to its author for correction.",
        attr="give_back",
    )
    resubmit = step(
        "resubmit", services.resubmit_log, None, ServiceLogSerializer, "Resubmit a corrected log.", visible_only=True
    )
