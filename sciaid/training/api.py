"""API of popular-science training: `trainings` (with publish / hold / report / cancel), `registrations`,
`attendance` (sign-in; a walk-in is registered and signed in at once), `training-feedback`, and the figures at
`GET /api/v1/reports/training/?area=&year=`.

Writes go through `sciaid.training.services`. Errors: 400 bad input, 403 wrong role, 404 outside the user's
jurisdiction, 409 a step the event's state does not allow — among them any sign-in once the event is reported.
Registering someone already registered, or signing in someone already signed in that day, answers 200 with the
existing record instead of 201: a person counts once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from sciaid.core.api import (
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    crud_schema,
    error_responses,
    phone_field,
)
from sciaid.core.scoping import SCOPED
from sciaid.experts.models import Expert, Specialty
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area, Household
from sciaid.training import services
from sciaid.training.choices import ParticipantKind
from sciaid.training.filters import AttendanceFilter, FeedbackFilter, RegistrationFilter, TrainingEventFilter
from sciaid.training.fulfilment import label_of, resolve_fulfils
from sciaid.training.models import Attendance, Feedback, Registration, TrainingEvent
from sciaid.training.services import Person
from sciaid.training.statistics import area_statistics, may_read_statistics, resolve_area_year, trainer_statistics

CREATE_ERRORS = error_responses(400, 403, 409)
ACTION_ERRORS = error_responses(400, 403, 404, 409)


# --- trainings ---------------------------------------------------------------------------------------------------


class FulfilsTypeField(serializers.CharField):
    """The kind of record an event fulfils, as "app.model" (e.g. "commissioners.agreement")."""

    def to_representation(self, value) -> str:
        return label_of(value)


class TrainingEventSerializer(serializers.ModelSerializer):
    area = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Area.objects.all(),
        help_text="Division code of the venue's village, township or county",
    )
    trainers = ScopedPrimaryKeyRelatedField(many=True, queryset=Expert.objects.all(), required=False)
    topics = ScopedSlugRelatedField(many=True, slug_field="code", queryset=Specialty.objects.all(), required=False)
    fulfils_type = FulfilsTypeField(
        required=False, allow_blank=True, help_text='What it fulfils, e.g. "commissioners.agreement"; with fulfils_id'
    )
    fulfils_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    registered = serializers.IntegerField(read_only=True, help_text="People registered")
    trainees = serializers.IntegerField(read_only=True, help_text="People who signed in at least once")
    sign_in_url = serializers.SerializerMethodField(help_text="The sign-in list its QR code opens")

    class Meta:
        model = TrainingEvent
        fields = [
            "id",
            "kind",
            "title",
            "organiser_kind",
            "organiser_name",
            "trainers",
            "topics",
            "area",
            "address",
            "starts_on",
            "ends_on",
            "capacity",
            "description",
            "fulfils_type",
            "fulfils_id",
            "status",
            "cancel_reason",
            "registered",
            "trainees",
            "sign_in_url",
            "created_at",
        ]
        read_only_fields = ["status", "cancel_reason", "created_at"]

    def get_sign_in_url(self, event: TrainingEvent) -> str:
        request = self.context.get("request")
        path = reverse("training:signin", args=[event.pk])
        return request.build_absolute_uri(path) if request else path


class CancelParams(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def step(name: str, call: Callable, params: type[serializers.Serializer] | None, summary: str):
    """`POST /trainings/{id}/<name>/`: validate `params`, call the service, return the event as it now is."""

    def handler(self, request, pk=None):
        event = self.get_object()
        data = {}
        if params is not None:
            body = params(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        call(request.user, event, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)

    handler.__name__ = name
    handler.__doc__ = summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    return extend_schema(request=params, responses={200: TrainingEventSerializer, **ACTION_ERRORS})(routed)


@crud_schema(TrainingEventSerializer, destroy_errors=error_responses(403, 404, 409))
class TrainingEventViewSet(ScopedModelViewSet):
    """Training events of the user's areas (an info officer or farmer: those meant for their village; an expert:
    those they train or attend), with how many registered and signed in."""

    queryset = TrainingEvent.objects.order_by("-starts_on", "-id")
    serializer_class = TrainingEventSerializer
    filterset_class = TrainingEventFilter
    select_related = ("area", "fulfils_type")

    def get_queryset(self):
        return super().get_queryset().with_figures().prefetch_related("trainers", "topics")

    def service_fields(self, serializer, instance: TrainingEvent | None = None) -> dict:
        data = dict(serializer.validated_data)
        label = data.pop("fulfils_type", label_of(instance.fulfils_type) if instance else "")
        object_id = data.pop("fulfils_id", instance.fulfils_id if instance else None)
        data["fulfils"] = resolve_fulfils(self.request.user, label, object_id)
        if instance is not None:
            data.setdefault("trainers", list(instance.trainers.all()))
            data.setdefault("topics", list(instance.topics.all()))
        return data

    def fresh(self, event: TrainingEvent) -> TrainingEvent:
        return self.get_queryset().get(pk=event.pk)

    def create_object(self, serializer):
        return self.fresh(services.save_event(self.request.user, **self.service_fields(serializer)))

    def update_object(self, serializer):
        instance = serializer.instance
        fields = self.service_fields(serializer, instance)
        return self.fresh(services.save_event(self.request.user, instance=instance, **fields))

    def delete_object(self, instance):
        services.delete_event(self.request.user, instance)

    publish = step("publish", services.publish_event, None, "Open the event for registration.")
    hold = step("hold", services.hold_event, None, "Record that the event took place (from its first day).")
    report = step("report", services.report_event, None, "Close the attendance: further sign-ins are refused (409).")
    cancel = step(
        "cancel", lambda user, event, reason: services.cancel_event(user, event, reason), CancelParams, "Call it off."
    )


# --- registrations -----------------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """Who takes part: `household` (+ `name`, empty for the head), `expert`, or a guest (`name`, `phone`,
    `village`)."""

    kind = serializers.ChoiceField(choices=ParticipantKind.choices)
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all(), required=False, allow_null=True)
    expert = ScopedPrimaryKeyRelatedField(queryset=Expert.objects.all(), required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    village = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level=AreaLevel.VILLAGE),
        required=False,
        allow_null=True,
        help_text="A guest's village (division code)",
    )


def person_of(data: dict) -> Person:
    return Person(
        kind=data["kind"],
        name=data.get("name") or "",
        household=data.get("household"),
        expert=data.get("expert"),
        phone=data.get("phone") or "",
        village=data.get("village") or data.get("area"),
    )


class RegistrationSerializer(PersonSerializer, serializers.ModelSerializer):
    event = ScopedPrimaryKeyRelatedField(queryset=TrainingEvent.objects.all())
    phone = phone_field("phone", lambda registration: registration.area)
    village = ScopedSlugRelatedField(
        source="area",
        slug_field="code",
        queryset=Area.objects.filter(level=AreaLevel.VILLAGE),
        required=False,
        allow_null=True,
        help_text="The trainee's village (division code; give it for a guest)",
    )
    days = serializers.IntegerField(read_only=True, help_text="Days signed in")

    class Meta:
        model = Registration
        fields = ["id", "event", "kind", "household", "expert", "name", "phone", "village", "walk_in", "days"]
        read_only_fields = ["walk_in"]


class CountOnceMixin:
    """A create that finds the record already there answers 200 with it instead of 201."""

    def create(self, request, *args, **kwargs):
        self.created = True
        response = super().create(request, *args, **kwargs)
        if not self.created:
            response.status_code = status.HTTP_200_OK
        return response


@extend_schema_view(
    retrieve=extend_schema(responses={200: RegistrationSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: RegistrationSerializer, 200: RegistrationSerializer, **CREATE_ERRORS}),
    destroy=extend_schema(responses={204: None, **error_responses(400, 403, 404, 409)}),
)
class RegistrationViewSet(CountOnceMixin, ScopedModelViewSet):
    """People registered for trainings (`?event=`): an info officer registers those of their villages, the county
    anyone of its county and experts. Phone numbers are masked unless the user's role may read them."""

    queryset = Registration.objects.order_by("event", "area__code", "name", "id")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    select_related = ("area",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().annotate(days=Count("attendances"))

    def create_object(self, serializer):
        data = serializer.validated_data
        registration, self.created = services.register(self.request.user, data["event"], person_of(data))
        return self.get_queryset().get(pk=registration.pk)

    def delete_object(self, instance):
        services.withdraw(self.request.user, instance)


# --- attendance ----------------------------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    registration = ScopedPrimaryKeyRelatedField(
        queryset=Registration.objects.all(), required=False, help_text="Who signs in (registered already)"
    )
    event = ScopedPrimaryKeyRelatedField(
        queryset=TrainingEvent.objects.all(), required=False, help_text="For a walk-in: the event"
    )
    walk_in = PersonSerializer(write_only=True, required=False, help_text="For a walk-in: who came")
    day = serializers.DateField(required=False, help_text="Default: today while the event runs")
    name = serializers.CharField(source="registration.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "registration", "event", "walk_in", "name", "day", "source", "created_at"]
        read_only_fields = ["source", "created_at"]
        # Signing someone in twice is not an error: the service answers with the first sign-in.
        validators = []

    def validate(self, data):
        if not data.get("registration") and not (data.get("event") and data.get("walk_in")):
            raise serializers.ValidationError(
                {"registration": "Give the registration, or the event and the walk-in's details."}
            )
        return data


@extend_schema_view(
    retrieve=extend_schema(responses={200: AttendanceSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: AttendanceSerializer, 200: AttendanceSerializer, **CREATE_ERRORS}),
    destroy=extend_schema(responses={204: None, **error_responses(400, 403, 404, 409)}),
)
class AttendanceViewSet(CountOnceMixin, ScopedModelViewSet):
    """Sign-ins (`?event=&day=`). POST a registration (and day) to sign someone in, or an event and a walk-in's
    details to register and sign in someone who came unannounced; DELETE takes a mistaken sign-in back. Once the
    event is reported, every sign-in is refused with 409."""

    queryset = Attendance.objects.order_by("event", "day", "id")
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter
    select_related = ("registration",)
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_object(self, serializer):
        data, user = serializer.validated_data, self.request.user
        if data.get("registration"):
            attendance, self.created = services.sign_in(user, data["registration"], data.get("day"))
        else:
            attendance, self.created = services.sign_in_walk_in(
                user, data["event"], person_of(data["walk_in"]), data.get("day")
            )
        return attendance

    def delete_object(self, instance):
        services.sign_out(self.request.user, instance)


# --- feedback ------------------------------------------------------------------------------------------------------


class FeedbackSerializer(serializers.ModelSerializer):
    registration = ScopedPrimaryKeyRelatedField(queryset=Registration.objects.all())
    rating = serializers.IntegerField(min_value=1, max_value=5)

    class Meta:
        model = Feedback
        fields = ["id", "registration", "event", "rating", "comment", "created_at"]
        read_only_fields = ["event", "created_at"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: FeedbackSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: FeedbackSerializer, **CREATE_ERRORS}),
)
class FeedbackViewSet(ScopedModelViewSet):
    """Trainees' ratings (1–5) and comments (`?event=`): given once per trainee who signed in, by the trainee or
    their village's info officer, once the event was held."""

    queryset = Feedback.objects.order_by("event", "-created_at", "-id")
    serializer_class = FeedbackSerializer
    filterset_class = FeedbackFilter
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, serializer):
        data = serializer.validated_data
        return services.give_feedback(
            self.request.user, data["registration"], rating=data["rating"], comment=data.get("comment", "")
        )


# --- the report ----------------------------------------------------------------------------------------------------


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer):
    ratings = serializers.IntegerField()
    mean_rating = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    satisfied_percent = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="Share of ratings of 4 or 5, in %"
    )


class KindFiguresSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    events = serializers.IntegerField()
    trainees = serializers.IntegerField()


class TrainerFiguresSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    events = serializers.IntegerField()
    trainees = serializers.IntegerField()
    mean_rating = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    ratings = serializers.IntegerField()


class TrainingReportSerializer(serializers.Serializer):
    area = AreaRefSerializer()
    year = serializers.IntegerField()
    events = serializers.IntegerField(help_text="Trainings held in the area, by their first day")
    trainees = serializers.IntegerField(help_text="People signed in, each once per event")
    distinct_trainees = serializers.IntegerField(help_text="People signed in, each once across the year's events")
    poor_household_trainees = serializers.IntegerField(help_text="Distinct trainees of registered poor households")
    satisfaction = SatisfactionSerializer()
    by_kind = KindFiguresSerializer(many=True)
    trainers = TrainerFiguresSerializer(many=True)


class TrainingReportView(APIView):
    """`GET /api/v1/reports/training/?area=<code>&year=<yyyy>`: the training statistics page's figures. Trainee
    figures count the people of the area; decimals (mean rating, satisfied %) are strings."""

    scoping = SCOPED
    reports_on_area = True

    @extend_schema(
        operation_id="reports_training",
        summary="Popular-science training statistics",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Division code; default: your widest area."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Default: the latest year with trainings."),
        ],
        responses={200: TrainingReportSerializer, **error_responses(400, 403, 404)},
    )
    def get(self, request):
        if not may_read_statistics(request.user):
            raise PermissionDenied
        area, year = resolve_area_year(request.user, request.query_params.get("area"), request.query_params.get("year"))
        figures = {**area_statistics(area, year), "trainers": trainer_statistics(area, year)}
        return Response(TrainingReportSerializer(figures).data)
