"""API for the experts' subsidy statements: compute a county's year from the valid services, then review it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response

from sciaid.assistance import services
from sciaid.assistance.api.demands import ReasonParams
from sciaid.assistance.filters import StatementFilter
from sciaid.assistance.models import (
    SubsidyStatement,
    SubsidyStatementRow,
)
from sciaid.core.api import (
    ScopedModelViewSet,
    ScopedSlugRelatedField,
    error_responses,
    step_action,
)
from sciaid.core.scoping import granted_roles, is_unrestricted
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area


class StatementRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyStatementRow
        fields = ["kind", "recipient_id", "name", "services", "amount"]
        read_only_fields = fields


class SubsidyStatementSerializer(serializers.ModelSerializer):
    """A statement with its rows, in lists too: a county has one a year, and one serializer keeps one schema."""

    county = serializers.SlugRelatedField(slug_field="code", read_only=True)
    county_name = serializers.CharField(source="county.name", read_only=True)
    rows = StatementRowSerializer(many=True, read_only=True)

    class Meta:
        model = SubsidyStatement
        fields = [
            "id",
            "county",
            "county_name",
            "year",
            "status",
            "total",
            "computed_at",
            "submitted_by",
            "submitted_at",
            "city_approved_by",
            "city_approved_at",
            "approved_by",
            "approved_at",
            "returned_by",
            "returned_at",
            "return_reason",
            "rows",
        ]
        read_only_fields = fields


class ComputeParams(serializers.Serializer):
    county = ScopedSlugRelatedField(
        slug_field="code", queryset=Area.objects.filter(level=AreaLevel.COUNTY), help_text=_("County code")
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)


@extend_schema_view(
    list=extend_schema(responses={200: SubsidyStatementSerializer(many=True), **error_responses(400)}),
    retrieve=extend_schema(responses={200: SubsidyStatementSerializer, **error_responses(404)}),
    create=extend_schema(
        request=ComputeParams, responses={201: SubsidyStatementSerializer, **error_responses(400, 403, 409)}
    ),
)
class SubsidyStatementViewSet(ScopedModelViewSet):
    """A county's yearly subsidies as a reviewed statement: POST computes it (county admin), then `submit`
    (county), `approve` (city, then province) or `return` with a reason (city or province)."""

    queryset = SubsidyStatement.objects.order_by("-year", "county__code")
    serializer_class = SubsidyStatementSerializer
    filterset_class = StatementFilter
    select_related = ("county",)
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("rows")

    def fresh(self, statement: SubsidyStatement, code: int = status.HTTP_200_OK) -> Response:
        statement = self.get_queryset().get(pk=statement.pk)
        data = SubsidyStatementSerializer(statement, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def create(self, request, *args, **kwargs):
        """Compute (or recompute) the statement of a county and year."""
        if not (is_unrestricted(request.user) or granted_roles(request.user) & SubsidyStatement.scope.change):
            raise PermissionDenied
        body = ComputeParams(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        statement = services.compute_statement(request.user, **body.validated_data)
        return self.fresh(statement, status.HTTP_201_CREATED)

    recompute_step = step_action(
        "recompute",
        lambda user, statement: services.compute_statement(user, statement.county, statement.year),
        None,
        SubsidyStatementSerializer,
        _("Recompute a draft or returned statement."),
    )
    submit_step = step_action(
        "submit",
        services.submit_statement,
        None,
        SubsidyStatementSerializer,
        _("The county submits the statement to the city."),
    )
    approve_step = step_action(
        "approve",
        services.approve_statement,
        None,
        SubsidyStatementSerializer,
        _("The city, then the province, approves the statement."),
    )
    return_step = step_action(
        "return",
        services.return_statement,
        ReasonParams,
        SubsidyStatementSerializer,
        _("The city or the province returns the statement, with a reason."),
    )
