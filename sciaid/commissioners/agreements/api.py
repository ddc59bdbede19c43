"""API of assistance agreements: `agreements` with their targets and the progress the confirmed logs made; sign,
fulfil and terminate are one action each."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from sciaid.commissioners.agreements import services
from sciaid.commissioners.agreements.choices import AgreementStatus
from sciaid.commissioners.agreements.filters import AgreementFilter
from sciaid.commissioners.agreements.models import Agreement
from sciaid.commissioners.api import WRITE_ERRORS, choice_field, step
from sciaid.commissioners.statistics import services as statistics
from sciaid.commissioners.teams.models import Team
from sciaid.core.api import (
    CREATE_ERRORS,
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from sciaid.experts.models import Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class TargetSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    target = serializers.IntegerField()
    actual = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)


class AgreementSerializer(serializers.ModelSerializer):
    pairing = ScopedPrimaryKeyRelatedField(queryset=Pairing.objects.all(), required=False, allow_null=True)
    team = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    village = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.VILLAGE), required=False, allow_null=True
    )
    progress = serializers.SerializerMethodField()
    status = choice_field(AgreementStatus, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "pairing",
            "team",
            "expert",
            "village",
            "year",
            "status",
            "signed_on",
            "starts_on",
            "ends_on",
            "duties",
            "target_trainings",
            "target_trainees",
            "target_varieties",
            "target_techniques",
            "target_households",
            "termination_reason",
            "progress",
        ]
        read_only_fields = ["expert", "year", "status", "signed_on", "termination_reason"]

    @extend_schema_field(TargetSerializer(many=True))
    def get_progress(self, agreement) -> list:
        figures = self.context.get("progress") or statistics.progress([agreement])
        return TargetSerializer(figures.get(agreement.pk, []), many=True).data


class SignParams(serializers.Serializer):
    signed_on = serializers.DateField()
    scan = serializers.FileField(required=False, help_text="The signed agreement (PDF, JPEG or PNG; multipart)")


class TerminateParams(serializers.Serializer):
    reason = serializers.CharField()


@extend_schema_view(
    retrieve=extend_schema(responses={200: AgreementSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: AgreementSerializer, **CREATE_ERRORS}),
    partial_update=extend_schema(responses={200: AgreementSerializer, **WRITE_ERRORS}),
)
class AgreementViewSet(ScopedModelViewSet):
    """Assistance agreements (帮扶协议) with their targets and the progress the confirmed logs made."""

    queryset = Agreement.objects.order_by("-year", "village__code", "id")
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    select_related = ("village",)
    http_method_names = ["get", "post", "patch", "head", "options"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.page_progress = statistics.progress(page)
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "progress": getattr(self, "page_progress", None)}

    def create_object(self, serializer):
        return services.save_agreement(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        terms = {k: v for k, v in serializer.validated_data.items() if k in services.AGREEMENT_FIELDS}
        return services.save_agreement(self.request.user, instance=serializer.instance, **terms)

    sign = step("sign", services.sign_agreement, SignParams, AgreementSerializer, "Record the signature.")
    fulfil = step("fulfil", services.fulfil_agreement, None, AgreementSerializer, "Mark the agreement fulfilled.")
    terminate = step(
        "terminate",
        lambda u, a, reason: services.terminate_agreement(u, a, reason),
        TerminateParams,
        AgreementSerializer,
        "Terminate the agreement, saying why.",
    )
