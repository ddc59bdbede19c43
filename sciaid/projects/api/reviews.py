"""Reviews: a reviewer's own assignments (and scoring them), or all of a county's for its admins."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from sciaid.core.api import ScopedReadOnlyViewSet, error_responses, step_action
from sciaid.projects import services
from sciaid.projects.api.calls import CriterionSerializer
from sciaid.projects.api.common import FreshMixin
from sciaid.projects.filters import ReviewFilter
from sciaid.projects.models import Review


class ReviewSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    reviewer_name = serializers.CharField(source="reviewer.__str__", read_only=True)
    criteria = CriterionSerializer(source="project.call.criteria", many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "project",
            "project_title",
            "reviewer",
            "reviewer_name",
            "status",
            "criteria",
            "scores",
            "total",
            "comments",
            "submitted_at",
        ]
        read_only_fields = fields


class ScoreParams(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100),
        help_text=_("Criterion id → score 0–100"),
    )
    comments = serializers.CharField()


@extend_schema_view(
    list=extend_schema(responses={200: ReviewSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: ReviewSerializer, **error_responses(404)}),
)
class ReviewViewSet(FreshMixin, ScopedReadOnlyViewSet):
    """Reviews: a reviewer's own assignments, or all of a county's for its admins."""

    queryset = Review.objects.order_by("project", "id")
    serializer_class = ReviewSerializer
    detail_serializer = ReviewSerializer
    filterset_class = ReviewFilter
    select_related = ("project", "reviewer", "project__call")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("project__call__criteria")

    score_step = step_action("score", services.score, ScoreParams, ReviewSerializer, _("The assigned reviewer scores."))
