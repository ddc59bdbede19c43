"""Declarations and projects, from draft to archive: one `POST /projects/{id}/{action}/` per step of their life."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from sciaid.accounts.models import User
from sciaid.core.api import (
    WRITE_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    error_responses,
    step_action,
)
from sciaid.demonstration.models import DemoSite
from sciaid.projects import services
from sciaid.projects.api.common import FreshMixin, require_roles
from sciaid.projects.choices import BudgetCategory, IndicatorKind, Verdict
from sciaid.projects.filters import ProjectFilter
from sciaid.projects.models import APPLICANTS, Attachment, BudgetLine, Call, Indicator, Milestone, Project, TeamMember
from sciaid.regions.models import Area


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "kind", "name", "unit", "planned", "target", "achieved"]
        read_only_fields = ["id", "target", "achieved"]


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "category", "description", "amount"]
        read_only_fields = ["id"]


class TeamMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "name", "organisation", "duty"]
        read_only_fields = ["id"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "created_at"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "report", "reported_at"]


class ProjectSerializer(serializers.ModelSerializer):
    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    call_title = serializers.CharField(source="call.title", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "status",
            "call",
            "call_title",
            "county",
            "organisation",
            "industry",
            "partner",
            "requested_amount",
            "approved_amount",
            "score",
            "submitted_at",
            "decided_at",
            "archived_at",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.Serializer):
    allocated = serializers.DecimalField(max_digits=14, decimal_places=2)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class ProjectDetailSerializer(ProjectSerializer):
    villages = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    demo_sites = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    statement = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "summary",
            "villages",
            "demo_sites",
            "check_comment",
            "reject_reason",
            "budget_scope",
            "applicant_signed_at",
            "county_signed_at",
            "started_at",
            "final_summary",
            "final_at",
            "verdict",
            "verdict_comment",
            "accepted_at",
            "indicators",
            "budget_lines",
            "team",
            "attachments",
            "milestones",
            "statement",
        ]
        read_only_fields = fields

    @extend_schema_field(StatementSerializer)
    def get_statement(self, project: Project) -> dict:
        return StatementSerializer(services.statement(project)).data


class IndicatorInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=16, required=False, allow_blank=True)
    planned = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class BudgetLineInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetCategory.choices)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class TeamMemberInput(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    organisation = serializers.CharField(max_length=128, required=False, allow_blank=True)
    duty = serializers.CharField(max_length=64, required=False, allow_blank=True)


class DeclarationInput(serializers.Serializer):
    """A declaration's content; every part may come later (PATCH) while it is a draft."""

    title = serializers.CharField(max_length=200)
    industry = serializers.CharField(max_length=64)
    requested_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    organisation = serializers.CharField(max_length=128, required=False, allow_blank=True)
    partner = serializers.CharField(max_length=128, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    villages = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), many=True, required=False, help_text=_("Village codes")
    )
    demo_sites = ScopedPrimaryKeyRelatedField(
        queryset=DemoSite.objects.all(), many=True, required=False, help_text=_("Demonstration site ids")
    )
    indicators = IndicatorInput(many=True, required=False)
    budget_lines = BudgetLineInput(many=True, required=False)
    team = TeamMemberInput(many=True, required=False)


class DeclareInput(DeclarationInput):
    call = ScopedPrimaryKeyRelatedField(queryset=Call.objects.all())


class CheckParams(serializers.Serializer):
    passed = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewerAssignParams(serializers.Serializer):
    reviewers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, default=list
    )
    count = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)
    seed = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class ApproveParams(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RejectParams(serializers.Serializer):
    reason = serializers.CharField()


class MilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class TaskBookParams(serializers.Serializer):
    milestones = MilestoneInput(many=True, required=False)
    targets = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        help_text=_("Indicator id → target; the planned value when left out"),
    )
    budget_scope = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressParams(serializers.Serializer):
    milestone = ScopedPrimaryKeyRelatedField(queryset=Milestone.objects.all())
    report = serializers.CharField()


class FinalParams(serializers.Serializer):
    summary = serializers.CharField()
    achieved = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        help_text=_("Indicator id → achieved value"),
    )


class AcceptParams(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AttachParams(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    file = serializers.FileField()


@extend_schema_view(
    list=extend_schema(responses={200: ProjectSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: ProjectDetailSerializer, **error_responses(404)}),
    create=extend_schema(request=DeclareInput, responses={201: ProjectDetailSerializer, **error_responses(400, 403)}),
    partial_update=extend_schema(
        request=DeclarationInput, responses={200: ProjectDetailSerializer, **error_responses(400, 403, 404, 409)}
    ),
)
class ProjectViewSet(FreshMixin, ScopedModelViewSet):
    """Declarations and projects, from draft to archive; every change of state is one action."""

    queryset = Project.objects.order_by("-created_at", "-id")
    serializer_class = ProjectSerializer
    detail_serializer = ProjectDetailSerializer
    filterset_class = ProjectFilter
    select_related = ("county", "call")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            return qs
        return qs.prefetch_related(
            "villages", "demo_sites", "indicators", "budget_lines", "team", "attachments", "milestones"
        )

    def create(self, request, *args, **kwargs):
        """Declare a project: an applicant organisation's draft."""
        require_roles(request.user, APPLICANTS)
        body = DeclareInput(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        project = services.declare(request.user, data.pop("call"), **data)
        return self.fresh(project, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        """Edit a draft (the applicant); lists given replace the draft's rows."""
        project = self.get_object()
        body = DeclarationInput(data=request.data, partial=True, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.update_draft(request.user, project, **body.validated_data)
        return self.fresh(project)

    submit_step = step_action(
        "submit", services.submit, None, ProjectDetailSerializer, _("The applicant submits the draft.")
    )
    check_step = step_action(
        "check", services.check, CheckParams, ProjectDetailSerializer, _("Formal check: pass, or return with comments.")
    )
    assign_reviewers_step = step_action(
        "assign_reviewers",
        services.assign_reviewers,
        ReviewerAssignParams,
        ProjectDetailSerializer,
        _("Assign named reviewers, or draw `count` at random from the eligible pool."),
    )
    approve_step = step_action(
        "approve", services.approve, ApproveParams, ProjectDetailSerializer, _("Approve an amount; funds allocated.")
    )
    reject_step = step_action(
        "reject", services.reject, RejectParams, ProjectDetailSerializer, _("Reject, with a reason.")
    )
    sign_taskbook_step = step_action(
        "sign_taskbook",
        services.sign_taskbook,
        TaskBookParams,
        ProjectDetailSerializer,
        _("The county writes and signs the task book; the applicant's signature starts the project."),
    )
    report_progress_step = step_action(
        "report_progress",
        services.report_progress,
        ProgressParams,
        ProjectDetailSerializer,
        _("Report progress on a milestone."),
    )
    submit_final_step = step_action(
        "submit_final",
        services.submit_final,
        FinalParams,
        ProjectDetailSerializer,
        _("The final report: achieved indicators and a summary."),
    )
    accept_step = step_action(
        "accept", services.accept, AcceptParams, ProjectDetailSerializer, _("The acceptance committee's verdict.")
    )
    archive_step = step_action(
        "archive", services.archive, None, ProjectDetailSerializer, _("Archive a finished project.")
    )

    @extend_schema(
        request={"multipart/form-data": AttachParams},
        responses={200: ProjectDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        """Attach a document (PDF, image, Word, Excel; at most 20 MB) to a draft."""
        project = self.get_object()
        body = AttachParams(data=request.data)
        body.is_valid(raise_exception=True)
        services.attach(request.user, project, **body.validated_data)
        return self.fresh(project)
