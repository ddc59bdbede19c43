"""API for areas, households (with incomes and status transitions), cadre pairings and visits.

Every write goes through `sciaid.regions.services`; related objects are accepted only from the user's jurisdiction,
and ID and phone numbers are masked for roles that may not read them.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import (
    READ_ERRORS,
    PersonalDataField,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    crud_schema,
    error_responses,
    phone_field,
)
from sciaid.core.privacy import validate_id_number
from sciaid.regions import services
from sciaid.regions.choices import AreaLevel
from sciaid.regions.filters import AreaFilter, CadrePairingFilter, HouseholdFilter, VisitFilter
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit

WRITE_ERRORS = error_responses(400, 403, 404)


def of_village(obj):
    return obj.village


def writable(serializer: serializers.Serializer) -> dict:
    """The validated data as keyword arguments for a service."""
    return dict(serializer.validated_data)


# --- areas -------------------------------------------------------------------------------------------------------


class AreaSerializer(serializers.ModelSerializer):
    parent = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), allow_null=True, required=False, help_text=_("Parent's code")
    )
    level = serializers.ChoiceField(choices=AreaLevel.choices, required=False, help_text=_("Taken from the parent"))

    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "parent", "is_poor", "lifted_year", "pinyin", "initials"]
        read_only_fields = ["pinyin", "initials"]

    def validate(self, attrs):
        if self.instance is not None and "code" in attrs and attrs["code"] != self.instance.code:
            raise serializers.ValidationError({"code": _("The division code of an existing area cannot change.")})
        parent = attrs.get("parent", getattr(self.instance, "parent", None))
        if parent is None and not attrs.get("level", getattr(self.instance, "level", None)):
            raise serializers.ValidationError({"parent": _("Give the parent area's code.")})
        return attrs


@crud_schema(AreaSerializer, write_errors=WRITE_ERRORS)
class AreaViewSet(ScopedModelViewSet):
    """Administrative areas of the user's jurisdiction; managers create and correct them."""

    queryset = Area.objects.order_by("code")
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    select_related = ("parent",)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def create_object(self, serializer):
        return services.save_area(self.request.user, **writable(serializer))

    def update_object(self, serializer):
        return services.save_area(self.request.user, instance=serializer.instance, **writable(serializer))


# --- households --------------------------------------------------------------------------------------------------


class IncomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdIncome
        fields = ["year", "income_per_capita"]


class HouseholdSerializer(serializers.ModelSerializer):
    village = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.VILLAGE), help_text=_("Village code")
    )
    village_name = serializers.CharField(source="village.name", read_only=True)
    id_number = PersonalDataField(
        max_length=20,
        full=lambda household: household.id_number,
        masked=lambda household: household.masked_id_number,
        areas=of_village,
        validator=validate_id_number,
        help_text=_("Citizen ID number of the head; masked unless your role may read it"),
    )
    phone = phone_field("phone", of_village)
    incomes = IncomeSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "number",
            "village",
            "village_name",
            "head_name",
            "id_number",
            "phone",
            "members",
            "main_cause",
            "other_causes",
            "status",
            "lifted_year",
            "incomes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "lifted_year", "created_at", "updated_at"]


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(Household.workflow.transitions))
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text=_("Year lifted"))


class VisitMonthSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    visits = serializers.IntegerField()


class VisitYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    visits = serializers.IntegerField()
    relief = serializers.DecimalField(max_digits=14, decimal_places=2)


class VisitStatisticsQuery(serializers.Serializer):
    area = serializers.CharField(max_length=12)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class VisitStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    months = VisitMonthSerializer(many=True)
    years = VisitYearSerializer(many=True)


@crud_schema(HouseholdSerializer, write_errors=WRITE_ERRORS, destroy_errors=error_responses(403, 404))
class HouseholdViewSet(ScopedModelViewSet):
    """Registered poor households; ID and phone numbers are masked unless your role may read them."""

    queryset = Household.objects.order_by("village__code", "number")
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter
    select_related = ("village",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("incomes")

    def create_object(self, serializer):
        return services.save_household(self.request.user, **writable(serializer))

    def update_object(self, serializer):
        return services.save_household(self.request.user, instance=serializer.instance, **writable(serializer))

    def delete_object(self, instance):
        services.delete_household(self.request.user, instance)

    def _fresh(self, household: Household) -> Response:
        household = self.get_queryset().get(pk=household.pk)
        return Response(HouseholdSerializer(household, context=self.get_serializer_context()).data)

    @extend_schema(
        request=TransitionSerializer, responses={200: HouseholdSerializer, **error_responses(400, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Lift the household out of poverty, flag it at risk of return, or register it as poor again."""
        household = self.get_object()
        params = TransitionSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.change_household_status(
            request.user, household, params.validated_data["action"], params.validated_data.get("year")
        )
        return self._fresh(household)

    @extend_schema(request=IncomeSerializer, responses={200: HouseholdSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def incomes(self, request, pk=None):
        """Record (or correct) the household's net income per capita for one year."""
        household = self.get_object()
        params = IncomeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.set_income(request.user, household, **params.validated_data)
        return self._fresh(household)

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, required=True, description=_("Division code")),
            OpenApiParameter("year", OpenApiTypes.INT, description=_("Defaults to the latest year with visits")),
        ],
        responses={200: VisitStatisticsSerializer, **error_responses(400, 404)},
    )
    @action(detail=False, methods=["get"], url_path="visit-statistics", filterset_class=None, pagination_class=None)
    def visit_statistics(self, request):
        """Cadre visits per month of a year and visits and relief paid per year, under one area."""
        params = VisitStatisticsQuery(data=request.query_params)
        params.is_valid(raise_exception=True)
        area = get_object_or_404(Area.objects.for_user(request.user), code=params.validated_data["area"])
        year = params.validated_data.get("year") or services.latest_visit_year(request.user)
        data = services.visit_statistics(request.user, area, year)
        return Response(VisitStatisticsSerializer(data).data)


# --- cadre pairings and visits -----------------------------------------------------------------------------------


class CadrePairingSerializer(serializers.ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    household_name = serializers.CharField(source="household.head_name", read_only=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cadre_phone = phone_field("cadre_phone", of_village)

    class Meta:
        model = CadrePairing
        fields = [
            "id",
            "household",
            "household_name",
            "village",
            "cadre_name",
            "cadre_organisation",
            "cadre_phone",
            "started_on",
            "ended_on",
        ]
        read_only_fields = ["ended_on"]


class EndPairingSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


@extend_schema_view(
    retrieve=extend_schema(responses={200: CadrePairingSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: CadrePairingSerializer, **error_responses(400, 403)}),
)
class CadrePairingViewSet(ScopedModelViewSet):
    """Cadres paired with poor households (结对帮扶)."""

    queryset = CadrePairing.objects.order_by("household", "-started_on")
    serializer_class = CadrePairingSerializer
    filterset_class = CadrePairingFilter
    select_related = ("household", "village")
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, serializer):
        data = writable(serializer)
        return services.pair_cadre(self.request.user, data.pop("household"), **data)

    @extend_schema(request=EndPairingSerializer, responses={200: CadrePairingSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the pairing on a date."""
        pairing = self.get_object()
        params = EndPairingSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        pairing = services.end_pairing(request.user, pairing, params.validated_data["ended_on"])
        return Response(self.get_serializer(pairing).data, status=status.HTTP_200_OK)


class VisitSerializer(serializers.ModelSerializer):
    pairing = ScopedPrimaryKeyRelatedField(queryset=CadrePairing.objects.all())
    cadre_name = serializers.CharField(source="pairing.cadre_name", read_only=True)
    village = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "pairing", "cadre_name", "village", "visited_on", "notes", "relief_amount"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: VisitSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: VisitSerializer, **error_responses(400, 403)}),
)
class VisitViewSet(ScopedModelViewSet):
    """Paired cadres' visits, with the relief payments handed over."""

    queryset = Visit.objects.order_by("-visited_on", "-id")
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    select_related = ("pairing", "village")
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, serializer):
        data = writable(serializer)
        return services.record_visit(self.request.user, data.pop("pairing"), **data)
