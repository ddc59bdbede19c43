"""API of the commissioners' year: `workstations` (apply, then one `POST /workstations/{id}/{action}/` per step) and
`appraisals` (the yearly sheets; `POST /appraisals/{id}/score/` enters the opinion and manual scores).

Errors: 400 bad input, 403 wrong role, 404 outside the user's jurisdiction, 409 a step the current state does not
allow (TransitionRefused, handled by sciaid.core.api.exception_handler).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.accounts.models import User
from sciaid.commissioners import services
from sciaid.commissioners.models import Appraisal, Workstation, WorkstationActivity, WorkstationAppraisal
from sciaid.commissioners.yearly_choices import ActivityKind, OrganisationKind, Rating
from sciaid.commissioners.yearly_filters import AppraisalFilter, WorkstationFilter
from sciaid.core.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
    ScopedSlugRelatedField,
    ScopedViewSetMixin,
    error_responses,
)
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.experts.models import Expert
from sciaid.funds.models import Budget
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

ACTION_ERRORS = error_responses(400, 403, 404, 409)

# --- workstations -------------------------------------------------------------------------------------------------


class WorkstationActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkstationActivity
        fields = ["id", "kind", "held_on", "title", "participants", "households_driven", "note"]


class WorkstationAppraisalSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkstationAppraisal
        fields = ["id", "year", "score", "rating", "note"]


class WorkstationSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = Workstation
        fields = [
            "id",
            "name",
            "organisation",
            "organisation_kind",
            "industry",
            "village",
            "village_name",
            "status",
            "filed_on",
            "created_at",
        ]
        read_only_fields = fields


class WorkstationDetailSerializer(WorkstationSerializer):
    """A workstation with its application, decision, activities and yearly appraisals."""

    commissioners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    activities = WorkstationActivitySerializer(many=True, read_only=True)
    appraisals = WorkstationAppraisalSerializer(many=True, read_only=True)

    class Meta(WorkstationSerializer.Meta):
        fields = [
            *WorkstationSerializer.Meta.fields,
            "commissioners",
            "facilities",
            "plan",
            "applicant",
            "decided_at",
            "decision_note",
            "activities",
            "appraisals",
        ]
        read_only_fields = fields


class WorkstationApplySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200)
    organisation_kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    industry = serializers.CharField(max_length=100)
    village = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.VILLAGE), help_text=_("Host village code")
    )
    commissioners = serializers.PrimaryKeyRelatedField(
        queryset=Expert.objects.filter(is_commissioner=True, is_active=True), many=True, required=False
    )
    facilities = serializers.CharField(required=False, allow_blank=True)
    plan = serializers.CharField()


class WorkstationReviewersParams(serializers.Serializer):
    reviewers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, allow_empty=False, help_text=_("User ids")
    )


class WorkstationReviewParams(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    opinion = serializers.CharField()


class WorkstationNoteParams(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkstationReasonParams(serializers.Serializer):
    reason = serializers.CharField()


class WorkstationActivityParams(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    participants = serializers.IntegerField(min_value=0, required=False, default=0)
    households_driven = serializers.IntegerField(min_value=0, required=False, default=0)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkstationAppraisalParams(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    rating = serializers.ChoiceField(choices=Rating.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkstationFundParams(serializers.Serializer):
    budget = ScopedPrimaryKeyRelatedField(queryset=Budget.objects.all())
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    purpose = serializers.CharField(max_length=200)
    allocated_on = serializers.DateField(required=False, allow_null=True, default=None)


def step(name: str, service: Callable, params: type[serializers.Serializer], summary: str):
    """`POST /workstations/{id}/<name>/`: validate `params`, call `service(user, station, **data)`."""

    def handler(self, request, pk=None):
        station = self.get_object()
        body = params(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        service(request.user, station, **body.validated_data)
        return self.fresh(station)

    handler.__name__ = name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name.replace("_", "-"))
    return extend_schema(request=params, responses={200: WorkstationDetailSerializer, **ACTION_ERRORS})(routed(handler))


@extend_schema_view(
    list=extend_schema(responses={200: WorkstationSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: WorkstationDetailSerializer, **error_responses(404)}),
    create=extend_schema(
        request=WorkstationApplySerializer, responses={201: WorkstationDetailSerializer, **error_responses(400, 403)}
    ),
)
class WorkstationViewSet(ScopedModelViewSet):
    """Commissioner workstations: applied by an enterprise or cooperative, reviewed, filed by the province."""

    queryset = Workstation.objects.order_by("-created_at", "-id")
    serializer_class = WorkstationSerializer
    filterset_class = WorkstationFilter
    select_related = ("village",)
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return WorkstationSerializer if self.action == "list" else WorkstationDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if self.action == "list" else qs.prefetch_related("commissioners", "activities", "appraisals")

    def get_object(self):
        # A reviewer scores an application they may see but not change; the service checks the assignment.
        if self.action == "review":
            return super(ScopedViewSetMixin, self).get_object()
        return super().get_object()

    def fresh(self, station: Workstation, code: int = status.HTTP_200_OK) -> Response:
        station = self.get_queryset().get(pk=station.pk)
        return Response(WorkstationDetailSerializer(station, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        """Apply for a workstation (an applicant organisation, for a village of its area)."""
        if not (is_unrestricted(request.user) or Role.APPLICANT in granted_roles(request.user)):
            raise PermissionDenied
        body = WorkstationApplySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        station = services.apply_workstation(request.user, **body.validated_data)
        return self.fresh(station, status.HTTP_201_CREATED)

    start_review = step(
        "start_review",
        services.start_workstation_review,
        WorkstationReviewersParams,
        _("Send the application to reviewers."),
    )
    review = step(
        "review",
        services.submit_workstation_review,
        WorkstationReviewParams,
        _("An assigned reviewer scores the application."),
    )
    file = step("file", services.file_workstation, WorkstationNoteParams, _("The province files the workstation."))
    reject = step(
        "reject", services.reject_workstation, WorkstationReasonParams, _("The province rejects the application.")
    )
    revoke = step(
        "revoke", services.revoke_workstation, WorkstationReasonParams, _("The province revokes a filed workstation.")
    )
    report = step(
        "report",
        services.report_workstation_activity,
        WorkstationActivityParams,
        _("Report an activity of a filed station."),
    )
    appraise = step(
        "appraise",
        services.appraise_workstation,
        WorkstationAppraisalParams,
        _("Record the station's yearly appraisal."),
    )
    fund = step(
        "fund", services.fund_workstation, WorkstationFundParams, _("Allocate money from a budget to the station.")
    )


# --- appraisals ---------------------------------------------------------------------------------------------------


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
