"""API for demands: list, detail, submit, and one `POST /demands/{id}/{action}/` per step of the journey.

Each action validates its body, calls the service of the same name (sciaid.assistance.services) and answers with the
demand as it is now. Errors: 400 bad input, 403 wrong role, 404 outside the user's jurisdiction, 409 a transition
the demand's current state does not allow (TransitionRefused, handled by sciaid.core.api.exception_handler).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.assistance import handoffs, services
from sciaid.assistance.choices import ServiceMode, Urgency
from sciaid.assistance.filters import DemandFilter
from sciaid.assistance.models import (
    JUDGEMENT_CRITERIA,
    REQUESTERS,
    TRIAGERS,
    Assignment,
    Demand,
    Message,
    Photo,
    SiteVisit,
)
from sciaid.assistance.recommend import recommend_experts, similar_demands
from sciaid.core.api import (
    WRITE_ERRORS,
    PersonalDataField,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    error_responses,
    step_action,
)
from sciaid.core.privacy import mask_phone, optional_phone
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household

# --- output -------------------------------------------------------------------------------------------------------


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="image", read_only=True, use_url=True)

    class Meta:
        model = Photo
        fields = ["id", "url", "width", "height", "message"]


class AssignmentSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "expert", "expert_name", "status", "decline_reason", "assigned_at", "responded_at"]


class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "author_name", "text", "asks_requester", "created_at"]


class SiteVisitSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)

    class Meta:
        model = SiteVisit
        fields = ["id", "expert", "expert_name", "scheduled_for", "place", "note"]


class DemandSerializer(serializers.ModelSerializer):
    """A demand as listed: what a queue row needs, without the thread."""

    specialty = serializers.SlugRelatedField(slug_field="code", read_only=True)
    specialty_name = serializers.CharField(source="specialty.name", read_only=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    requester_name = serializers.CharField(source="requester.__str__", read_only=True)
    farmer_phone = PersonalDataField(
        max_length=11,
        read_only=True,
        full=lambda demand: demand.farmer_phone,
        masked=lambda demand: mask_phone(demand.farmer_phone),
        areas=lambda demand: demand.village,
    )

    class Meta:
        model = Demand
        fields = [
            "id",
            "title",
            "status",
            "specialty",
            "specialty_name",
            "village",
            "village_name",
            "household",
            "requester",
            "requester_name",
            "requester_role",
            "farmer_name",
            "farmer_phone",
            "urgency",
            "preferred_mode",
            "due_at",
            "paused_since",
            "escalation_level",
            "possible_duplicate_of",
            "merged_into",
            "rating",
            "submitted_at",
            "triaged_at",
            "assigned_at",
            "accepted_at",
            "resolved_at",
            "closed_at",
        ]
        read_only_fields = fields


class DemandDetailSerializer(DemandSerializer):
    """A demand with its description, outcome, call-back, judgement, assignments, thread, photos and visits."""

    assignments = AssignmentSerializer(many=True, read_only=True)
    messages = MessageSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    visits = SiteVisitSerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = [
            *DemandSerializer.Meta.fields,
            "description",
            "reject_reason",
            "solution_summary",
            "resolved_by",
            "rating_comment",
            "rated_at",
            "called_at",
            "called_by",
            "callback_answer",
            "callback_satisfied",
            "valid",
            *JUDGEMENT_CRITERIA,
            "judgement_note",
            "judged_by",
            "judged_at",
            "paused_hours",
            "assignments",
            "messages",
            "photos",
            "visits",
        ]
        read_only_fields = fields


class RecommendationSerializer(serializers.Serializer):
    expert = serializers.IntegerField(source="expert.pk")
    name = serializers.CharField(source="expert.name")
    organisation = serializers.CharField(source="expert.organisation")
    level = serializers.CharField(source="expert.level")
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class SimilarDemandSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="demand.pk")
    title = serializers.CharField(source="demand.title")
    specialty_name = serializers.CharField(source="demand.specialty.name")
    solution_summary = serializers.CharField(source="demand.solution_summary")
    score = serializers.FloatField()


# --- input --------------------------------------------------------------------------------------------------------


def photos_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=_("Up to 6 photos (multipart)")
    )


def specialty_field(**kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Specialty.objects.all(), help_text=_("Specialty code"), **kwargs
    )


class Dated(serializers.Serializer):
    """A step a clerk may record after it happened: the day it did (bounds in `services.dates`)."""

    occurred_on = serializers.DateField(
        required=False,
        help_text=_(
            "The day it happened, when recorded later (default today): not in the future, a submission not before "
            "the start of last year, a later step not before the demand's previous step"
        ),
    )


class SubmitSerializer(Dated):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    specialty = specialty_field()
    village = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level=AreaLevel.VILLAGE),
        required=False,
        help_text=_("Village code; a farmer's own village when left out"),
    )
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all(), required=False, allow_null=True)
    farmer_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    farmer_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    preferred_mode = serializers.ChoiceField(choices=ServiceMode.choices, required=False)
    photos = photos_field()

    def validate_farmer_phone(self, value: str) -> str:
        return optional_phone(value)


class TriageParams(Dated):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False)
    specialty = specialty_field(required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    preferred_mode = serializers.ChoiceField(choices=ServiceMode.choices, required=False)


class AssignParams(Dated):
    experts = ScopedPrimaryKeyRelatedField(
        queryset=Expert.objects.all(), many=True, allow_empty=False, help_text=_("Expert ids")
    )


class ReasonParams(serializers.Serializer):
    reason = serializers.CharField()


class ReplyParams(serializers.Serializer):
    text = serializers.CharField()
    asks_requester = serializers.BooleanField(
        required=False, default=False, help_text=_("The expert waits for the farmer's answer: the SLA clock pauses")
    )
    photos = photos_field()


class VisitParams(serializers.Serializer):
    scheduled_for = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveParams(Dated):
    solution_summary = serializers.CharField()


class RateParams(Dated):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CallbackParams(Dated):
    answer = serializers.CharField()
    satisfied = serializers.BooleanField()


class JudgeParams(Dated):
    valid = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on_target = serializers.BooleanField(required=False, default=False)
    effective = serializers.BooleanField(required=False, default=False)
    truthful = serializers.BooleanField(required=False, default=False)
    complete = serializers.BooleanField(required=False, default=False)
    timely = serializers.BooleanField(required=False, default=False)


class MergeParams(serializers.Serializer):
    into = ScopedPrimaryKeyRelatedField(queryset=Demand.objects.all(), help_text=_("The demand to merge into"))


class HandoffParams(serializers.Serializer):
    to = serializers.CharField(max_length=50, help_text=_("The registered handoff, e.g. technology_need"))


class HandoffResult(serializers.Serializer):
    to = serializers.CharField(source="handoff.name")
    id = serializers.IntegerField(source="record.pk")
    url = serializers.SerializerMethodField()

    def get_url(self, handed) -> str:
        return self.context["request"].build_absolute_uri(handed.record.get_absolute_url())


class SimilarQuery(serializers.Serializer):
    q = serializers.CharField(max_length=500)


# --- the viewset --------------------------------------------------------------------------------------------------


def step(name: str, service: Callable, params: type[serializers.Serializer] | None, summary: str):
    """`POST /demands/{id}/<name>/`: a workflow transition checks the user's role for it first."""

    def precheck(user) -> None:
        services.require_role(user, name)

    checked = precheck if name in Demand.workflow.transitions else None
    return step_action(name, service, params, DemandDetailSerializer, summary, precheck=checked)


@extend_schema_view(
    list=extend_schema(responses={200: DemandSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: DemandDetailSerializer, **error_responses(404)}),
    create=extend_schema(
        request={"application/json": SubmitSerializer, "multipart/form-data": SubmitSerializer},
        responses={201: DemandDetailSerializer, **error_responses(400, 403)},
    ),
)
class DemandViewSet(ScopedModelViewSet):
    """Farmers' demands for expert help, from submission to judgement; every change is one action."""

    queryset = Demand.objects.order_by("-submitted_at", "-id")
    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    select_related = ("specialty", "village", "requester")
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["submitted_at", "due_at", "urgency"]

    def get_serializer_class(self):
        return DemandSerializer if self.action == "list" else DemandDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            return qs
        return qs.prefetch_related(
            Prefetch("assignments", Assignment.objects.select_related("expert")),
            Prefetch("messages", Message.objects.select_related("author")),
            "photos",
            Prefetch("visits", SiteVisit.objects.select_related("expert")),
        )

    def fresh(self, demand: Demand, code: int = status.HTTP_200_OK) -> Response:
        demand = self.get_queryset().get(pk=demand.pk)
        return Response(DemandDetailSerializer(demand, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        """Submit a demand: an info officer for one of their villages, a farmer for their own household."""
        if not (is_unrestricted(request.user) or granted_roles(request.user) & REQUESTERS):
            raise PermissionDenied
        body = SubmitSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        demand = services.submit_demand(request.user, **body.validated_data)
        return self.fresh(demand, status.HTTP_201_CREATED)

    triage_step = step("triage", services.triage, TriageParams, _("Classify the demand and correct its text."))
    assign_step = step("assign", services.assign, AssignParams, _("Assign the demand to one or more experts."))
    accept_step = step("accept", services.accept, Dated, _("The assigned expert accepts the demand."))
    decline_step = step("decline", services.decline, ReasonParams, _("The assigned expert declines, with a reason."))
    reply_step = step("reply", services.reply, ReplyParams, _("Write in the demand's thread (with photos)."))
    schedule_visit_step = step(
        "schedule_visit", services.schedule_visit, VisitParams, _("The serving expert plans an on-site visit.")
    )
    resolve_step = step("resolve", services.resolve, ResolveParams, _("The serving expert marks the demand resolved."))
    rate_step = step("rate", services.rate, RateParams, _("The requester rates the service 1–5; the demand closes."))
    close_step = step("close", services.close, Dated, _("The county desk closes a resolved demand unrated."))
    callback_step = step("callback", services.callback, CallbackParams, _("Record the call-back to the farmer."))
    judge_step = step("judge", services.judge, JudgeParams, _("Judge a closed demand valid or not."))
    merge_step = step("merge", services.merge, MergeParams, _("Merge a duplicate into another open demand."))
    reject_step = step("reject", services.reject, ReasonParams, _("Reject a demand that is not a technical need."))

    @extend_schema(request=HandoffParams, responses={201: HandoffResult, 200: HandoffResult, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def handoff(self, request, pk=None):
        """Hand the demand over (`to`: technology_need): 201 with the record made, 200 if it had been made before."""
        demand = self.get_object()
        if not handoffs.may_hand_over(request.user, demand):
            raise PermissionDenied
        body = HandoffParams(data=request.data)
        body.is_valid(raise_exception=True)
        handed = services.hand_over(request.user, demand, body.validated_data["to"])
        code = status.HTTP_201_CREATED if handed.created else status.HTTP_200_OK
        return Response(HandoffResult(handed, context=self.get_serializer_context()).data, status=code)

    @extend_schema(responses={200: RecommendationSerializer(many=True), **error_responses(403, 404)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def recommendations(self, request, pk=None):
        """Experts ranked for this demand, each with its score and reasons (for the county desk)."""
        demand = self.get_object()
        if not (is_unrestricted(request.user) or granted_roles(request.user) & TRIAGERS):
            raise PermissionDenied
        return Response(RecommendationSerializer(recommend_experts(demand), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True, description=_("The farmer's words"))],
        responses={200: SimilarDemandSerializer(many=True), **error_responses(400)},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def similar(self, request):
        """Resolved demands like the given text, best first (shown while a demand is typed)."""
        query = SimilarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = similar_demands(query.validated_data["q"], request.user)
        rows = [{"demand": demand, "score": score} for demand, score in found]
        return Response(SimilarDemandSerializer(rows, many=True).data)
