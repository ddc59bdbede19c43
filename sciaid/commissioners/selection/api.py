"""API of the yearly selection: `batches`, with apply / nominate / decide / withdraw, close and reopen."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.commissioners.api import choice_field, step
from sciaid.commissioners.selection import services
from sciaid.commissioners.selection.choices import BatchStatus, CandidateSource, CandidateStatus
from sciaid.commissioners.selection.filters import BatchFilter
from sciaid.commissioners.selection.models import Batch, Candidate
from sciaid.core.api import (
    CREATE_ERRORS,
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class CandidateSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    level = choice_field(ExpertLevel, read_only=True)
    source = choice_field(CandidateSource, read_only=True)
    status = choice_field(CandidateStatus, read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "batch",
            "expert",
            "expert_name",
            "level",
            "source",
            "nominated_by",
            "statement",
            "status",
            "reason",
            "decided_at",
        ]


class BatchSerializer(serializers.ModelSerializer):
    county = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.COUNTY), help_text="County division code"
    )
    status = choice_field(BatchStatus, read_only=True)

    class Meta:
        model = Batch
        fields = ["id", "county", "year", "title", "notes", "closes_on", "status", "created_at"]
        read_only_fields = ["status", "created_at"]


class ApplyParams(serializers.Serializer):
    statement = serializers.CharField(required=False, default="", allow_blank=True)


class NominateParams(ApplyParams):
    expert = ScopedPrimaryKeyRelatedField(queryset=Expert.objects.all())
    nominated_by = serializers.CharField(required=False, default="", allow_blank=True, max_length=128)


class DecideParams(serializers.Serializer):
    candidate = serializers.IntegerField()
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, default="", allow_blank=True)


def decide(user, batch: Batch, *, candidate: int, approve: bool, reason: str) -> Candidate:
    chosen = get_object_or_404(Candidate.objects.for_user(user), pk=candidate, batch=batch)
    return services.decide(user, chosen, approve=approve, reason=reason)


def withdraw(user, batch: Batch) -> Candidate:
    own = get_object_or_404(Candidate, batch=batch, expert__user_id=user.pk)
    return services.withdraw(user, own)


@extend_schema_view(
    retrieve=extend_schema(responses={200: BatchSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: BatchSerializer, **CREATE_ERRORS}),
)
class BatchViewSet(ScopedModelViewSet):
    """Yearly selection batches (选派/认定): experts apply or are nominated, the county approves or rejects."""

    queryset = Batch.objects.order_by("-year", "-id")
    serializer_class = BatchSerializer
    filterset_class = BatchFilter
    select_related = ("county",)
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, serializer):
        return services.open_batch(self.request.user, **serializer.validated_data)

    @extend_schema(responses={200: CandidateSerializer(many=True), **READ_ERRORS})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def candidates(self, request, pk=None):
        """The batch's candidates the user may see (the county: all; an expert: their own)."""
        batch = self.get_object()
        found = Candidate.objects.for_user(request.user).filter(batch=batch).select_related("expert")
        return Response(CandidateSerializer(found, many=True).data)

    close = step("close", services.close_batch, None, BatchSerializer, "Close the batch.")
    reopen = step("reopen", services.reopen_batch, None, BatchSerializer, "Reopen the batch.")
    apply = step("apply", services.apply, ApplyParams, CandidateSerializer, "Apply (an expert).", visible_only=True)
    nominate = step(
        "nominate", services.nominate, NominateParams, CandidateSerializer, "Nominate an expert.", visible_only=True
    )
    decide = step("decide", decide, DecideParams, CandidateSerializer, "Approve or reject a candidate.")
    withdraw = step(
        "withdraw", withdraw, None, CandidateSerializer, "Withdraw your own application.", visible_only=True
    )
