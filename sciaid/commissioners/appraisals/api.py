"""API of the yearly appraisal: `appraisal-rubrics` (a county's rubric and round: creating one for a county and year
that has one changes it; compute, review, reopen and publish are one action each) and `appraisals` (the sheets,
`?rubric=<id>` for one round's; `POST /appraisals/{id}/score/` enters the opinion and manual scores)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.commissioners.api import (
    ACTION_ERRORS,
    WRITE_ERRORS,
    CountyYearSerializer,
    choice_field,
    step,
)
from sciaid.commissioners.appraisals import services
from sciaid.commissioners.appraisals.choices import RoundStatus
from sciaid.commissioners.appraisals.filters import AppraisalFilter, AppraisalRubricFilter
from sciaid.commissioners.appraisals.models import Appraisal, AppraisalRubric
from sciaid.core.api import CREATE_ERRORS, READ_ERRORS, ScopedModelViewSet, ScopedReadOnlyViewSet, error_responses


class AppraisalRubricSerializer(CountyYearSerializer):
    status = choice_field(RoundStatus, read_only=True)

    class Meta:
        model = AppraisalRubric
        fields = ["id", "county", "year", *services.RUBRIC_FIELDS, "status", "published_at"]
        read_only_fields = ["status", "published_at"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: AppraisalRubricSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: AppraisalRubricSerializer, **CREATE_ERRORS}),
    update=extend_schema(responses={200: AppraisalRubricSerializer, **WRITE_ERRORS}),
)
class AppraisalRubricViewSet(ScopedModelViewSet):
    """Counties' yearly commissioner appraisals: the rubric (weights summing to 100, thresholds, quota for
    excellent) and the round's state: draft → computed → reviewed → published."""

    queryset = AppraisalRubric.objects.order_by("-year", "county__code")
    serializer_class = AppraisalRubricSerializer
    filterset_class = AppraisalRubricFilter
    select_related = ("county",)
    http_method_names = ["get", "post", "put", "head", "options"]

    def create_object(self, serializer):
        return services.save_appraisal_rubric(self.request.user, **serializer.service_fields())

    def update_object(self, serializer):
        return services.save_appraisal_rubric(
            self.request.user, instance=serializer.instance, **serializer.service_fields()
        )

    compute = step(
        "compute",
        services.compute_appraisal,
        None,
        AppraisalRubricSerializer,
        "Compute every paired commissioner's sheet from the year's data, then the totals and ratings.",
    )
    review = step(
        "review", services.review_appraisal, None, AppraisalRubricSerializer, "Mark the sheets reviewed (frozen)."
    )
    reopen = step("reopen", services.reopen_appraisal, None, AppraisalRubricSerializer, "Reopen a reviewed round.")
    publish = step(
        "publish",
        services.publish_appraisal,
        None,
        AppraisalRubricSerializer,
        "Publish the ratings: each commissioner sees their own sheet.",
    )


class AppraisalSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    county = serializers.CharField(source="rubric.county.code", read_only=True)
    year = serializers.IntegerField(source="rubric.year", read_only=True)
    published = serializers.SerializerMethodField()

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "county",
            "year",
            "expert",
            "expert_name",
            "villages",
            "services",
            "demands_served",
            "mean_rating",
            "callbacks",
            "satisfied_callbacks",
            "volume_score",
            "effect_score",
            "opinion_score",
            "manual_score",
            "total",
            "rank",
            "rating",
            "note",
            "published",
        ]
        read_only_fields = fields

    def get_published(self, sheet: Appraisal) -> bool:
        return sheet.rubric.published_at is not None


class AppraisalScoreParams(serializers.Serializer):
    opinion_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    manual_score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(retrieve=extend_schema(responses={200: AppraisalSerializer, **error_responses(404)}))
class AppraisalViewSet(ScopedReadOnlyViewSet):
    """Yearly commissioner appraisal sheets: the county's, or a commissioner's own once published."""

    queryset = Appraisal.objects.order_by("rubric", "rank", "id")
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    select_related = ("rubric", "rubric__county", "expert")

    @extend_schema(request=AppraisalScoreParams, responses={200: AppraisalSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Enter the village opinion and manual scores (0–100) while the appraisal is computed."""
        sheet = self.get_object()
        body = AppraisalScoreParams(data=request.data)
        body.is_valid(raise_exception=True)
        services.score_appraisal(request.user, sheet, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=sheet.pk)).data)
