"""Random supervision (双随机一公开): draws with `draw` and `verify`, findings, publication; rectifications (整改)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import (
    WRITE_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
    ScopedSlugRelatedField,
    error_responses,
    step_action,
)
from sciaid.projects import services
from sciaid.projects.api.common import FreshMixin, require_roles
from sciaid.projects.choices import FindingLevel
from sciaid.projects.filters import InspectionFilter, RectificationFilter
from sciaid.projects.models import MANAGERS, Inspection, InspectionItem, Project, Rectification
from sciaid.regions.models import Area


class InspectionItemSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    organisation = serializers.CharField(source="project.organisation", read_only=True)

    class Meta:
        model = InspectionItem
        fields = ["id", "project", "project_title", "organisation", "position", "level", "findings", "recorded_at"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = InspectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "area",
            "title",
            "year",
            "seed",
            "project_count",
            "inspector_count",
            "project_pool",
            "inspector_pool",
            "inspectors",
            "items",
            "drawn_at",
            "published_at",
        ]
        read_only_fields = fields


class VerificationSerializer(serializers.Serializer):
    matches = serializers.BooleanField()
    projects = serializers.ListField(child=serializers.IntegerField())
    inspectors = serializers.ListField(child=serializers.IntegerField())
    recorded_projects = serializers.ListField(child=serializers.IntegerField())
    recorded_inspectors = serializers.ListField(child=serializers.IntegerField())


class RectificationSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "project",
            "project_title",
            "item",
            "description",
            "deadline",
            "status",
            "evidence",
            "submitted_at",
            "closing_note",
            "closed_at",
            "escalated_at",
        ]
        read_only_fields = fields


class DrawParams(serializers.Serializer):
    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text=_("County code"))
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    project_count = serializers.IntegerField(min_value=1, max_value=1000)
    inspector_count = serializers.IntegerField(min_value=1, max_value=1000)
    seed = serializers.IntegerField(min_value=0, max_value=2**62, required=False, allow_null=True)


class RectificationInput(serializers.Serializer):
    description = serializers.CharField()
    deadline = serializers.DateField()


class FindingParams(serializers.Serializer):
    item = ScopedPrimaryKeyRelatedField(queryset=InspectionItem.objects.all())
    level = serializers.ChoiceField(choices=FindingLevel.choices)
    findings = serializers.CharField()
    rectifications = RectificationInput(many=True, required=False, default=list)


class OrderRectificationInput(RectificationInput):
    project = ScopedPrimaryKeyRelatedField(queryset=Project.objects.all())


class EvidenceParams(serializers.Serializer):
    evidence = serializers.CharField()
    evidence_file = serializers.FileField(required=False, allow_null=True)


class CloseParams(serializers.Serializer):
    accepted = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(responses={200: InspectionSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: InspectionSerializer, **error_responses(404)}),
)
class InspectionViewSet(FreshMixin, ScopedReadOnlyViewSet):
    """Random supervision (双随机一公开): draws, their verification, findings and publication."""

    queryset = Inspection.objects.order_by("-drawn_at", "-id")
    serializer_class = InspectionSerializer
    detail_serializer = InspectionSerializer
    filterset_class = InspectionFilter
    select_related = ("area",)

    def get_queryset(self):
        items = InspectionItem.objects.select_related("project").order_by("position")
        return super().get_queryset().prefetch_related(Prefetch("items", items), "inspectors")

    @extend_schema(request=DrawParams, responses={201: InspectionSerializer, **error_responses(400, 403)})
    @action(detail=False, methods=["post"])
    def draw(self, request):
        """Draw k projects in progress and m inspectors with a recorded seed (random when left out)."""
        require_roles(request.user, MANAGERS)
        body = DrawParams(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        inspection = services.draw_inspection(request.user, **body.validated_data)
        return self.fresh(inspection, status.HTTP_201_CREATED)

    @extend_schema(responses={200: VerificationSerializer, **error_responses(404)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def verify(self, request, pk=None):
        """Re-run the draw from its seed and pools; `matches` says whether it gives the recorded result."""
        verification = services.verify(self.get_object())
        return Response(VerificationSerializer({**vars(verification), "matches": verification.matches}).data)

    @extend_schema(request=FindingParams, responses={200: InspectionSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """A drawn inspector records the findings on one drawn project, with items to rectify."""
        inspection = self.get_object()
        body = FindingParams(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        item = data.pop("item")
        if item.inspection_id != inspection.pk:
            raise serializers.ValidationError({"item": _("This project was not drawn in this inspection.")})
        services.record_finding(request.user, item, **data)
        return self.fresh(inspection)

    publish_step = step_action(
        "publish", services.publish_inspection, None, InspectionSerializer, _("Publish the results on the public page.")
    )


@extend_schema_view(
    list=extend_schema(responses={200: RectificationSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: RectificationSerializer, **error_responses(404)}),
    create=extend_schema(
        request=OrderRectificationInput, responses={201: RectificationSerializer, **error_responses(400, 403)}
    ),
)
class RectificationViewSet(FreshMixin, ScopedModelViewSet):
    """Rectification items (整改): ordered by the county or raised by inspections, evidenced, closed."""

    queryset = Rectification.objects.order_by("deadline", "id")
    serializer_class = RectificationSerializer
    detail_serializer = RectificationSerializer
    filterset_class = RectificationFilter
    select_related = ("project",)
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        require_roles(request.user, MANAGERS)
        body = OrderRectificationInput(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        rectification = services.create_rectification(request.user, data.pop("project"), **data)
        return self.fresh(rectification, status.HTTP_201_CREATED)

    submit_evidence_step = step_action(
        "submit_evidence",
        services.submit_evidence,
        EvidenceParams,
        RectificationSerializer,
        _("The applicant shows what was rectified."),
    )
    close_step = step_action(
        "close",
        services.close_rectification,
        CloseParams,
        RectificationSerializer,
        _("The county closes the item, or returns it (accepted=false) as not yet rectified."),
    )
