"""API of the commissioners: `batches` (with apply / nominate / decide), `teams`, `agreements` (with their progress)
and `service-logs` (confirmed by a transition), and the yearly statistics at `/api/v1/reports/commissioners/`.

Writes go through `sciaid.commissioners.services`. Errors: 400 bad input, 403 wrong role, 404 outside the user's
jurisdiction, 409 a step the current state does not allow.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.assistance.report_views import may_read_statistics
from sciaid.assistance.statistics import json_safe
from sciaid.commissioners import services, statistics
from sciaid.commissioners.choices import (
    AgreementStatus,
    BatchStatus,
    CandidateSource,
    CandidateStatus,
    LogStatus,
    ServiceKind,
)
from sciaid.commissioners.filters import AgreementFilter, BatchFilter, ServiceLogFilter, TeamFilter
from sciaid.commissioners.models import Agreement, Batch, Candidate, ServiceLog, Team
from sciaid.commissioners.views import resolve_area_year
from sciaid.core.api import ScopedModelViewSet, ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField, error_responses
from sciaid.core.scoping import SCOPED
from sciaid.experts.choices import ExpertLevel
from sciaid.experts.models import Expert, Pairing
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

ACTION_ERRORS = error_responses(400, 403, 404, 409)


def choice_field(choices: type[models.Choices], **kwargs) -> serializers.ChoiceField:
    """A choice field documented inline: several of this app's fields share the names `status`, `kind` and `level`
    with other apps' differently-valued choices, which as shared schema components would collide."""
    schema = {"type": "string", "enum": list(choices.values)}
    field_class = extend_schema_field(schema)(type(f"{choices.__name__}Field", (serializers.ChoiceField,), {}))
    return field_class(choices=choices.choices, **kwargs)


READ_ERRORS = error_responses(404)
CREATE_ERRORS = error_responses(400, 403)
WRITE_ERRORS = error_responses(400, 403, 404)


def validated(params: type[serializers.Serializer] | None, request, context) -> dict:
    if params is None:
        return {}
    body = params(data=request.data, context=context)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def step(name: str, call: Callable, params, response, summary: str, visible_only: bool = False, attr: str = ""):
    """`POST /<resource>/{id}/<name>/`: validate `params`, call the service, return the fresh object."""

    def handler(self, request, pk=None):
        obj = get_object_or_404(self.get_queryset(), pk=pk) if visible_only else self.get_object()
        result = call(request.user, obj, **validated(params, request, self.get_serializer_context()))
        fresh = result if isinstance(result, response.Meta.model) else obj
        return Response(response(type(fresh).objects.get(pk=fresh.pk), context=self.get_serializer_context()).data)

    # DRF dispatches to the viewset attribute of this name (`return` is a keyword, hence `attr`).
    handler.__name__ = attr or name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    return extend_schema(request=params, responses={200: response, **ACTION_ERRORS})(routed)


# --- batches -----------------------------------------------------------------------------------------------------


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
    reopen = step(
        "reopen", lambda u, b: Batch.workflow.apply(b, "reopen", u), None, BatchSerializer, "Reopen the batch."
    )
    apply = step("apply", services.apply, ApplyParams, CandidateSerializer, "Apply (an expert).", visible_only=True)
    nominate = step(
        "nominate", services.nominate, NominateParams, CandidateSerializer, "Nominate an expert.", visible_only=True
    )
    decide = step("decide", decide, DecideParams, CandidateSerializer, "Approve or reject a candidate.")
    withdraw = step(
        "withdraw", withdraw, None, CandidateSerializer, "Withdraw your own application.", visible_only=True
    )


# --- teams -------------------------------------------------------------------------------------------------------


class TeamSerializer(serializers.ModelSerializer):
    county = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.filter(level=AreaLevel.COUNTY))
    leader = ScopedPrimaryKeyRelatedField(queryset=Expert.objects.all())
    members = ScopedPrimaryKeyRelatedField(
        queryset=Expert.objects.all(), many=True, write_only=True, help_text="Members besides the leader"
    )
    member_ids = serializers.SerializerMethodField(help_text="Every member, the leader included")
    villages = ScopedSlugRelatedField(
        slug_field="code", many=True, queryset=Area.objects.filter(level=AreaLevel.VILLAGE)
    )

    class Meta:
        model = Team
        fields = ["id", "county", "year", "name", "leader", "members", "member_ids", "villages"]

    def get_member_ids(self, team) -> list[int]:
        return [member.expert_id for member in team.members.all()]


@extend_schema_view(
    retrieve=extend_schema(responses={200: TeamSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: TeamSerializer, **CREATE_ERRORS}),
    update=extend_schema(responses={200: TeamSerializer, **WRITE_ERRORS}),
)
class TeamViewSet(ScopedModelViewSet):
    """Service teams (服务团队) of 3–5 commissioners with a leader; their logs count for each member."""

    queryset = Team.objects.order_by("-year", "name", "id")
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    select_related = ("county",)
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("villages", "members")

    def create_object(self, serializer):
        return services.save_team(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.save_team(self.request.user, instance=serializer.instance, **serializer.validated_data)


# --- agreements --------------------------------------------------------------------------------------------------


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


# --- service logs ------------------------------------------------------------------------------------------------


class ServiceLogSerializer(serializers.ModelSerializer):
    village = ScopedSlugRelatedField(slug_field="code", queryset=Area.objects.filter(level=AreaLevel.VILLAGE))
    # The commissioner is not in the registry's scope; the service accepts only households of the log's village.
    households = serializers.PrimaryKeyRelatedField(queryset=Household.objects.all(), many=True, required=False)
    team = ScopedPrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    kind = choice_field(ServiceKind)
    status = choice_field(LogStatus, read_only=True)

    class Meta:
        model = ServiceLog
        fields = [
            "id",
            "expert",
            "expert_name",
            "team",
            "agreement",
            "village",
            "kind",
            "served_on",
            "summary",
            "participants",
            "households",
            "other_households",
            "varieties",
            "techniques",
            "new_varieties",
            "new_techniques",
            "latitude",
            "longitude",
            "status",
            "confirmed_by",
            "confirmed_at",
            "return_note",
        ]
        read_only_fields = ["expert", "agreement", "status", "confirmed_by", "confirmed_at", "return_note"]


class ReturnParams(serializers.Serializer):
    note = serializers.CharField()


@extend_schema_view(
    retrieve=extend_schema(responses={200: ServiceLogSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: ServiceLogSerializer, **CREATE_ERRORS}),
    partial_update=extend_schema(responses={200: ServiceLogSerializer, **WRITE_ERRORS}),
)
class ServiceLogViewSet(ScopedModelViewSet):
    """Service logs (服务记录): a commissioner records, the village info officer or the county confirms."""

    queryset = ServiceLog.objects.order_by("-served_on", "-id")
    serializer_class = ServiceLogSerializer
    filterset_class = ServiceLogFilter
    select_related = ("expert", "village")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("households")

    def create_object(self, serializer):
        return services.log_service(self.request.user, **serializer.validated_data)

    def update_object(self, serializer):
        return services.update_log(self.request.user, serializer.instance, **serializer.validated_data)

    confirm = step("confirm", services.confirm_log, None, ServiceLogSerializer, "Confirm the service took place.")
    give_back = step(
        "return",
        lambda u, log, note: services.return_log(u, log, note),
        ReturnParams,
        ServiceLogSerializer,
        "Return the log to its author for correction.",
        attr="give_back",
    )
    resubmit = step(
        "resubmit", services.resubmit_log, None, ServiceLogSerializer, "Resubmit a corrected log.", visible_only=True
    )


# --- statistics --------------------------------------------------------------------------------------------------


def area_of(row: dict) -> dict | None:
    return {"code": row["area"].code, "name": row["area"].name} if row["area"] else None


def statistics_body(area: Area, year: int) -> dict:
    stats = statistics.commissioner_statistics(area, year)
    return json_safe(
        {
            "area": {"code": area.code, "name": area.name, "level": area.level},
            "year": year,
            "levels": stats["levels"],
            "totals": {**stats["totals"], "area": area_of(stats["totals"])},
            "groups": [{**row, "area": area_of(row)} for row in stats["groups"]],
            "satisfaction": stats["satisfaction"],
            "appraisal": stats["appraisal"],
        }
    )


class CommissionerReportView(APIView):
    """`GET /api/v1/reports/commissioners/?area=<code>&year=<yyyy>`: the commissioner statistics page's figures.

    Totals and per-township (or per-county) rows: commissioners, poor villages, covered, coverage rate (%, string),
    services, trainings, trainees, new varieties, new techniques, households helped (distinct); plus the
    commissioners by level, the satisfaction with the demands they resolved, and the published appraisal ratings
    (`appraisal`: rating, label, count for excellent / qualified / unqualified).
    """

    scoping = SCOPED
    reports_on_area = True

    @extend_schema(
        operation_id="reports_commissioners",
        summary="S&T commissioner statistics",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Division code; default: your widest area."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Default: the latest year with pairings."),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The statistics of the area and year."),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request):
        if not may_read_statistics(request.user):
            raise PermissionDenied
        area, year = resolve_area_year(request.user, request.query_params.get("area"), request.query_params.get("year"))
        return Response(statistics_body(area, year))
