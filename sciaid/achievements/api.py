"""API of achievement transformation: `achievements` (with submit / publish / return / withdraw / redraft),
`technology-needs` (with `GET …/{id}/matches/`, match / close / reopen) and `transfers` (with sign / apply /
evaluate / cancel).

`achievements` is read without a token: a request without credentials gets the published entries with their public
fields only (no contact, status or review note). Everything else, and every write, needs credentials and is scoped
to the user's jurisdiction as everywhere. Writes go through `sciaid.achievements.services`. Errors: 400 bad input
(a duplicate title and owner among them), 401 without credentials, 403 wrong role, 404 outside the user's
jurisdiction, 409 a step the object's state does not allow.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.achievements import services
from sciaid.achievements.choices import TransferMode
from sciaid.achievements.filters import AchievementFilter, NeedFilter, TransferFilter
from sciaid.achievements.matching import match_achievements
from sciaid.achievements.models import Achievement, TechnologyNeed, Transfer
from sciaid.core.api import (
    READ_ERRORS,
    PublicReadMixin,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    crud_schema,
    error_responses,
    step_action,
)
from sciaid.core.publishing import PublicationStatus
from sciaid.experts.models import Specialty
from sciaid.regions.models import Area, Household


class PublicAchievementSerializer(serializers.ModelSerializer):
    """What anyone may read of a published achievement: never its contact, state or review."""

    area = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="Division code of its catalogue")
    area_name = serializers.CharField(source="area.name", read_only=True)
    industries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Specialty.objects.all(), help_text="Specialty codes"
    )
    regions = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Division codes; empty: anywhere"
    )
    transfer_modes = serializers.ListField(child=serializers.ChoiceField(choices=TransferMode.choices), min_length=1)

    class Meta:
        model = Achievement
        fields = [
            "id",
            "title",
            "kind",
            "owner",
            "area",
            "area_name",
            "maturity",
            "industries",
            "regions",
            "transfer_modes",
            "price_guide",
            "description",
            "published_on",
        ]
        read_only_fields = fields


class AchievementSerializer(PublicAchievementSerializer):
    """An entry as its managers handle it (and logged-in users read it, contact included)."""

    area = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), help_text="Division code of a county, city or the province"
    )
    regions = ScopedSlugRelatedField(
        slug_field="code", many=True, queryset=Area.objects.all(), required=False, help_text="Empty: anywhere"
    )

    class Meta:
        model = Achievement
        fields = [
            *PublicAchievementSerializer.Meta.fields,
            "contact",
            "status",
            "review_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["published_on", "status", "review_note", "created_at", "updated_at"]


class StepNoteParams(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class StepDateParams(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The date; today (or the recorded one) when absent")


class MatchParams(serializers.Serializer):
    achievement = serializers.PrimaryKeyRelatedField(
        queryset=Achievement.objects.filter(status=PublicationStatus.PUBLISHED), help_text="A published achievement"
    )


@crud_schema(AchievementSerializer, destroy_errors=error_responses(403, 404, 409))
class AchievementViewSet(PublicReadMixin, ScopedModelViewSet):
    """The achievement catalogue; search with `q` (Chinese words or pinyin). Without credentials: published entries,
    public fields only."""

    queryset = Achievement.objects.order_by("title_pinyin", "id")
    serializer_class = AchievementSerializer
    public_serializer_class = PublicAchievementSerializer
    filterset_class = AchievementFilter
    select_related = ("area",)

    def public_queryset(self):
        return services.public_achievements().select_related("area").order_by("title_pinyin", "id")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("industries", "regions")

    def create_object(self, serializer):
        return services.save_achievement(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_achievement(self.request.user, instance=serializer.instance, **serializer.validated_data)

    def delete_object(self, instance):
        services.delete_achievement(self.request.user, instance)

    submit_step = step_action(
        "submit", services.submit_achievement, None, AchievementSerializer, "Hand a draft to review."
    )
    publish_step = step_action(
        "publish", services.publish_achievement, StepDateParams, AchievementSerializer, "Publish."
    )
    return_step = step_action(
        "return", services.return_achievement, StepNoteParams, AchievementSerializer, "Return to draft."
    )
    withdraw_step = step_action(
        "withdraw", services.withdraw_achievement, StepNoteParams, AchievementSerializer, "Withdraw."
    )
    redraft_step = step_action("redraft", services.redraft_achievement, None, AchievementSerializer, "Draft again.")


class TechnologyNeedSerializer(serializers.ModelSerializer):
    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text="Division code")
    area_name = serializers.CharField(source="area.name", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", queryset=Specialty.objects.all())

    class Meta:
        model = TechnologyNeed
        fields = [
            "id",
            "title",
            "description",
            "area",
            "area_name",
            "industry",
            "requester_kind",
            "requester_name",
            "source_label",
            "status",
            "matched_achievement",
            "created_at",
        ]
        read_only_fields = ["status", "matched_achievement", "created_at"]


class MatchSerializer(serializers.Serializer):
    achievement = PublicAchievementSerializer()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


@crud_schema(TechnologyNeedSerializer)
class TechnologyNeedViewSet(ScopedModelViewSet):
    """Technology needs of villages, townships and counties; `matches` ranks published achievements for one."""

    queryset = TechnologyNeed.objects.order_by("-created_at", "-id")
    serializer_class = TechnologyNeedSerializer
    filterset_class = NeedFilter
    select_related = ("area", "industry")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_object(self, serializer):
        return services.save_need(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_need(self.request.user, instance=serializer.instance, **serializer.validated_data)

    @extend_schema(responses={200: MatchSerializer(many=True), **READ_ERRORS})
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        """Published achievements ranked for this need, best first, with the reasons."""
        found = match_achievements(self.get_object())
        return Response(MatchSerializer(found, many=True, context=self.get_serializer_context()).data)

    match_step = step_action(
        "match",
        lambda user, need, achievement: services.match_need(user, need, achievement),
        MatchParams,
        TechnologyNeedSerializer,
        "Record the achievement chosen.",
    )
    close_step = step_action("close", services.close_need, StepNoteParams, TechnologyNeedSerializer, "Close the need.")
    reopen_step = step_action("reopen", services.reopen_need, None, TechnologyNeedSerializer, "Open it again.")


class TransferSerializer(serializers.ModelSerializer):
    achievement = ScopedPrimaryKeyRelatedField(queryset=Achievement.objects.all())
    achievement_title = serializers.CharField(source="achievement.title", read_only=True)
    need = ScopedPrimaryKeyRelatedField(queryset=TechnologyNeed.objects.all(), required=False, allow_null=True)
    area = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.all(), help_text="Division code")
    households = ScopedSlugRelatedField(
        slug_field="number", many=True, queryset=Household.objects.all(), required=False, help_text="Household numbers"
    )
    contract_value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "achievement",
            "achievement_title",
            "need",
            "recipient",
            "area",
            "mode",
            "contract_value",
            "signed_on",
            "applied_on",
            "status",
            "households_count",
            "households",
            "evaluation_note",
        ]
        read_only_fields = ["applied_on", "status", "evaluation_note"]


@crud_schema(TransferSerializer)
class TransferViewSet(ScopedModelViewSet):
    """Transfers of achievements to recipients, from negotiation to evaluation."""

    queryset = Transfer.objects.order_by("-signed_on", "-id")
    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    select_related = ("achievement", "area")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("households")

    def create_object(self, serializer):
        return services.save_transfer(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_transfer(self.request.user, instance=serializer.instance, **serializer.validated_data)

    sign_step = step_action(
        "sign", services.sign_transfer, StepDateParams, TransferSerializer, "The contract is signed."
    )
    apply_step = step_action(
        "apply", services.apply_transfer, StepDateParams, TransferSerializer, "The achievement is applied."
    )
    evaluate_step = step_action(
        "evaluate", services.evaluate_transfer, StepNoteParams, TransferSerializer, "Record the evaluation."
    )
    cancel_step = step_action(
        "cancel", services.cancel_transfer, StepNoteParams, TransferSerializer, "Cancel the transfer."
    )
