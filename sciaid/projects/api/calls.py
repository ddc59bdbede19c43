"""Calls for declarations: list, detail with rubric, remaining budget and ranking; publishing one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status

from sciaid.core.api import ScopedModelViewSet, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, error_responses
from sciaid.funds.models import Budget
from sciaid.projects import services
from sciaid.projects.api.common import FreshMixin, require_roles
from sciaid.projects.choices import CallKind
from sciaid.projects.filters import CallFilter
from sciaid.projects.models import MANAGERS, Call, Criterion
from sciaid.regions.models import Area


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "name", "weight"]


class CallSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "year",
            "kind",
            "area",
            "area_name",
            "budget_cap",
            "per_project_cap",
            "deadline",
            "budget",
        ]
        read_only_fields = fields


class RankSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField()
    status = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)


class CallDetailSerializer(CallSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    eligible_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    remaining_budget = serializers.SerializerMethodField()
    ranking = serializers.SerializerMethodField()

    class Meta(CallSerializer.Meta):
        fields = [
            *CallSerializer.Meta.fields,
            "description",
            "required_attachments",
            "eligible_areas",
            "criteria",
            "remaining_budget",
            "ranking",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_remaining_budget(self, call: Call) -> str:
        return str(services.remaining_budget(call))

    @extend_schema_field(RankSerializer(many=True))
    def get_ranking(self, call: Call) -> list[dict]:
        user = self.context["request"].user
        return RankSerializer(services.ranking(call, user), many=True).data


class CriterionInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    weight = serializers.IntegerField(min_value=1, max_value=100)


class CallInput(serializers.Serializer):
    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text=_("Area code"))
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=CallKind.choices)
    budget_cap = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    per_project_cap = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    deadline = serializers.DateField()
    required_attachments = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    eligible_areas = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), many=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    criteria = CriterionInput(many=True, required=False)
    budget = ScopedPrimaryKeyRelatedField(queryset=Budget.objects.all(), required=False, allow_null=True)

    def validate_criteria(self, value):
        return [(row["name"], row["weight"]) for row in value] or None


@extend_schema_view(
    list=extend_schema(responses={200: CallSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: CallDetailSerializer, **error_responses(404)}),
    create=extend_schema(request=CallInput, responses={201: CallDetailSerializer, **error_responses(400, 403)}),
)
class CallViewSet(FreshMixin, ScopedModelViewSet):
    """Calls for declarations (申报通知) with their review rubric, remaining budget and ranking."""

    queryset = Call.objects.order_by("-year", "-deadline", "-id")
    serializer_class = CallSerializer
    detail_serializer = CallDetailSerializer
    filterset_class = CallFilter
    select_related = ("area",)
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return CallSerializer if self.action == "list" else CallDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if self.action == "list" else qs.prefetch_related("criteria", "eligible_areas")

    def create(self, request, *args, **kwargs):
        require_roles(request.user, MANAGERS)
        body = CallInput(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        call = services.create_call(request.user, **body.validated_data)
        return self.fresh(call, status.HTTP_201_CREATED)
