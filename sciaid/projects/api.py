"""API for projects: calls, declarations with one `POST /projects/{id}/{action}/` per step of their life, reviews,
random-supervision inspections (with `draw` and `verify`) and rectifications.

Each action validates its body, calls the service of the same name (sciaid.projects.services) and answers with the
object as it is now. Errors: 400 bad input, 403 wrong role, 404 outside the user's jurisdiction, 409 a step the
current state does not allow (TransitionRefused, handled by sciaid.core.api.exception_handler).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.accounts.models import User
from sciaid.core.api import (
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
    ScopedSlugRelatedField,
    error_responses,
)
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.funds.models import Budget
from sciaid.projects import services
from sciaid.projects.choices import (
    BudgetCategory,
    CallKind,
    FindingLevel,
    IndicatorKind,
    Verdict,
)
from sciaid.projects.filters import CallFilter, InspectionFilter, ProjectFilter, RectificationFilter, ReviewFilter
from sciaid.projects.models import (
    APPLICANTS,
    MANAGERS,
    Attachment,
    BudgetLine,
    Call,
    Criterion,
    Indicator,
    Inspection,
    InspectionItem,
    Milestone,
    Project,
    Rectification,
    Review,
    TeamMember,
)
from sciaid.regions.models import Area

ACTION_ERRORS = error_responses(400, 403, 404, 409)


def require_roles(user, roles) -> None:
    if not (is_unrestricted(user) or granted_roles(user) & roles):
        raise PermissionDenied(_("Your role may not do this."))


# --- output -------------------------------------------------------------------------------------------------------


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


# --- input --------------------------------------------------------------------------------------------------------


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


class ScoreParams(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100),
        help_text=_("Criterion id → score 0–100"),
    )
    comments = serializers.CharField()


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


# --- the viewsets -------------------------------------------------------------------------------------------------


def step(name: str, service: Callable, params: type[serializers.Serializer] | None, output, summary: str):
    """`POST /<resource>/{id}/<name>/`: validate `params`, call `service(user, obj, **data)`, return the object."""

    def handler(self, request, pk=None):
        obj = self.get_object()
        data = {}
        if params is not None:
            body = params(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        service(request.user, obj, **data)
        return self.fresh(obj)

    handler.__name__ = name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name.replace("_", "-"))(handler)
    return extend_schema(request=params, responses={200: output, **ACTION_ERRORS})(routed)


class FreshMixin:
    detail_serializer: type[serializers.Serializer]

    def fresh(self, obj, code: int = status.HTTP_200_OK) -> Response:
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.detail_serializer(obj, context=self.get_serializer_context()).data, status=code)


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
        return qs.prefetch_related("villages", "indicators", "budget_lines", "team", "attachments", "milestones")

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

    submit = step("submit", services.submit, None, ProjectDetailSerializer, _("The applicant submits the draft."))
    check = step(
        "check", services.check, CheckParams, ProjectDetailSerializer, _("Formal check: pass, or return with comments.")
    )
    assign_reviewers = step(
        "assign_reviewers",
        services.assign_reviewers,
        ReviewerAssignParams,
        ProjectDetailSerializer,
        _("Assign named reviewers, or draw `count` at random from the eligible pool."),
    )
    approve = step(
        "approve", services.approve, ApproveParams, ProjectDetailSerializer, _("Approve an amount; funds allocated.")
    )
    reject = step("reject", services.reject, RejectParams, ProjectDetailSerializer, _("Reject, with a reason."))
    sign_taskbook = step(
        "sign_taskbook",
        services.sign_taskbook,
        TaskBookParams,
        ProjectDetailSerializer,
        _("The county writes and signs the task book; the applicant's signature starts the project."),
    )
    report_progress = step(
        "report_progress",
        services.report_progress,
        ProgressParams,
        ProjectDetailSerializer,
        _("Report progress on a milestone."),
    )
    submit_final = step(
        "submit_final",
        services.submit_final,
        FinalParams,
        ProjectDetailSerializer,
        _("The final report: achieved indicators and a summary."),
    )
    accept = step(
        "accept", services.accept, AcceptParams, ProjectDetailSerializer, _("The acceptance committee's verdict.")
    )
    archive = step("archive", services.archive, None, ProjectDetailSerializer, _("Archive a finished project."))

    @extend_schema(
        request={"multipart/form-data": AttachParams},
        responses={200: ProjectDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        """Attach a document (PDF, image, Word, Excel; at most 20 MB) to a draft."""
        project = self.get_object()
        body = AttachParams(data=request.data)
        body.is_valid(raise_exception=True)
        services.attach(request.user, project, **body.validated_data)
        return self.fresh(project)


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

    score = step("score", services.score, ScoreParams, ReviewSerializer, _("The assigned reviewer scores."))


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

    @extend_schema(request=FindingParams, responses={200: InspectionSerializer, **ACTION_ERRORS})
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

    publish = step(
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

    submit_evidence = step(
        "submit_evidence",
        services.submit_evidence,
        EvidenceParams,
        RectificationSerializer,
        _("The applicant shows what was rectified."),
    )
    close = step(
        "close",
        services.close_rectification,
        CloseParams,
        RectificationSerializer,
        _("The county closes the item, or returns it (accepted=false) as not yet rectified."),
    )
