"""API of workstations: `workstations` (an applicant applies, then one `POST /workstations/{id}/<step>/` per step:
start-review, review, file, reject, revoke, report, appraise, fund).

Errors: 400 bad input, 403 wrong role, 404 outside the user's jurisdiction, 409 a step the current state does not
allow (TransitionRefused, handled by sciaid.core.api.exception_handler).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from sciaid.accounts.models import User
from sciaid.commissioners.api import step
from sciaid.commissioners.appraisals.choices import Rating
from sciaid.commissioners.workstations import services
from sciaid.commissioners.workstations.choices import ActivityKind, OrganisationKind
from sciaid.commissioners.workstations.filters import WorkstationFilter
from sciaid.commissioners.workstations.models import Workstation, WorkstationActivity, WorkstationAppraisal
from sciaid.core.api import ScopedModelViewSet, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, error_responses
from sciaid.core.roles import Role
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.demonstration.models import DemoSite
from sciaid.experts.models import Expert
from sciaid.funds.models import Budget
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


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
    demo_site_name = serializers.CharField(source="demo_site.name", read_only=True, default=None, allow_null=True)
    activities = WorkstationActivitySerializer(many=True, read_only=True)
    appraisals = WorkstationAppraisalSerializer(many=True, read_only=True)

    class Meta(WorkstationSerializer.Meta):
        fields = [
            *WorkstationSerializer.Meta.fields,
            "demo_site",
            "demo_site_name",
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
    demo_site = ScopedPrimaryKeyRelatedField(
        queryset=DemoSite.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The demonstration site of the county the station is located at"),
    )
    facilities = serializers.CharField(required=False, allow_blank=True)
    plan = serializers.CharField()


class WorkstationLocateParams(serializers.Serializer):
    demo_site = ScopedPrimaryKeyRelatedField(
        queryset=DemoSite.objects.all(), allow_null=True, help_text=_("Site id; null: located at none")
    )


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
    select_related = ("village", "demo_site")
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return WorkstationSerializer if self.action == "list" else WorkstationDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if self.action == "list" else qs.prefetch_related("commissioners", "activities", "appraisals")

    def create(self, request, *args, **kwargs):
        """Apply for a workstation (an applicant organisation, for a village of its area)."""
        if not (is_unrestricted(request.user) or Role.APPLICANT in granted_roles(request.user)):
            raise PermissionDenied
        body = WorkstationApplySerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        station = services.apply_workstation(request.user, **body.validated_data)
        fresh = self.get_queryset().get(pk=station.pk)
        return Response(
            WorkstationDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    start_review = step(
        "start-review",
        services.start_workstation_review,
        WorkstationReviewersParams,
        WorkstationDetailSerializer,
        _("Send the application to reviewers."),
        attr="start_review",
    )
    # A reviewer scores an application they may see but not change; the service checks the assignment.
    review = step(
        "review",
        services.submit_workstation_review,
        WorkstationReviewParams,
        WorkstationDetailSerializer,
        _("An assigned reviewer scores the application."),
        visible_only=True,
    )
    file = step(
        "file",
        services.file_workstation,
        WorkstationNoteParams,
        WorkstationDetailSerializer,
        _("The province files the workstation."),
    )
    reject = step(
        "reject",
        services.reject_workstation,
        WorkstationReasonParams,
        WorkstationDetailSerializer,
        _("The province rejects the application."),
    )
    revoke = step(
        "revoke",
        services.revoke_workstation,
        WorkstationReasonParams,
        WorkstationDetailSerializer,
        _("The province revokes a filed workstation."),
    )
    report = step(
        "report",
        services.report_workstation_activity,
        WorkstationActivityParams,
        WorkstationDetailSerializer,
        _("Report an activity of a filed station."),
    )
    appraise = step(
        "appraise",
        services.appraise_workstation,
        WorkstationAppraisalParams,
        WorkstationDetailSerializer,
        _("Record the station's yearly appraisal."),
    )
    locate = step(
        "locate",
        services.locate_workstation,
        WorkstationLocateParams,
        WorkstationDetailSerializer,
        _("The county records the demonstration site the station is located at."),
    )
    fund = step(
        "fund",
        services.fund_workstation,
        WorkstationFundParams,
        WorkstationDetailSerializer,
        _("Allocate money from a budget to the station."),
    )
