"""API of the allocation rule: `allocation-rules` (a county's yearly rule; creating one for a county and year that
has one changes it until it is posted), `GET …/{id}/preview/` (what each commissioner is due) and
`POST …/{id}/post/` (post the allocations still due to the funds ledger from a budget: all or nothing, never twice).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.commissioners.allocation import services
from sciaid.commissioners.allocation.filters import AllocationRuleFilter
from sciaid.commissioners.allocation.models import AllocationRule
from sciaid.commissioners.api import ACTION_ERRORS, WRITE_ERRORS, CountyYearSerializer, validated
from sciaid.core.api import CREATE_ERRORS, READ_ERRORS, ScopedModelViewSet, ScopedPrimaryKeyRelatedField
from sciaid.funds.models import Budget

MONEY = {"max_digits": 14, "decimal_places": 2}


class AllocationRuleSerializer(CountyYearSerializer):
    base_amount = serializers.DecimalField(min_value=0, **MONEY)
    increment = serializers.DecimalField(min_value=0, **MONEY)

    class Meta:
        model = AllocationRule
        fields = ["id", "county", "year", "base_amount", "increment", "budget", "posted_at"]
        read_only_fields = ["budget", "posted_at"]


class AllocationRowSerializer(serializers.Serializer):
    """One commissioner's line of the preview."""

    expert = serializers.IntegerField(source="expert.pk")
    expert_name = serializers.CharField(source="expert.name")
    villages = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    posted = serializers.BooleanField(help_text="Already in the ledger under this rule")


class PostParams(serializers.Serializer):
    budget = ScopedPrimaryKeyRelatedField(queryset=Budget.objects.all())
    allocated_on = serializers.DateField(required=False, allow_null=True, default=None)


class PostedRuleSerializer(AllocationRuleSerializer):
    """The rule after a post, with what this call did: two posts at the same moment pay once, and the other one
    answers that it posted nothing and found every allocation already in the ledger."""

    allocations_posted = serializers.IntegerField(source="posting.posted", help_text="Allocations this call posted")
    allocations_already = serializers.IntegerField(
        source="posting.already", help_text="Allocations this call found already in the ledger under the rule"
    )
    amount_posted = serializers.DecimalField(source="posting.amount", help_text="The amount this call posted", **MONEY)

    class Meta(AllocationRuleSerializer.Meta):
        fields = [*AllocationRuleSerializer.Meta.fields, "allocations_posted", "allocations_already", "amount_posted"]
        read_only_fields = fields


@extend_schema_view(
    retrieve=extend_schema(responses={200: AllocationRuleSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: AllocationRuleSerializer, **CREATE_ERRORS}),
    update=extend_schema(responses={200: AllocationRuleSerializer, **WRITE_ERRORS}),
)
class AllocationRuleViewSet(ScopedModelViewSet):
    """Counties' yearly rules for paying their commissioners: an amount for one village, an increment per further
    village; posted to the funds ledger once, one allocation per commissioner."""

    queryset = AllocationRule.objects.order_by("-year", "county__code")
    serializer_class = AllocationRuleSerializer
    filterset_class = AllocationRuleFilter
    select_related = ("county",)
    http_method_names = ["get", "post", "put", "head", "options"]

    def create_object(self, serializer):
        return services.save_allocation_rule(self.request.user, **serializer.service_fields())

    def update_object(self, serializer):
        return services.save_allocation_rule(
            self.request.user, instance=serializer.instance, **serializer.service_fields()
        )

    @extend_schema(responses={200: AllocationRowSerializer(many=True), **READ_ERRORS})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def preview(self, request, pk=None):
        """Every commissioner paired with the county's villages that year, with the amount due, by name."""
        return Response(AllocationRowSerializer(services.allocation_preview(self.get_object()), many=True).data)

    # Not `post`: that is the viewset's handler of the POST method.
    @extend_schema(request=PostParams, responses={200: PostedRuleSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"], url_path="post", url_name="post")
    def post_rule(self, request, pk=None):
        """Post the allocations still due to the ledger from a budget of the county and year."""
        rule = self.get_object()
        params = validated(PostParams, request, self.get_serializer_context())
        rule.posting = services.post_allocation_rule(request.user, rule, **params)
        return Response(PostedRuleSerializer(rule, context=self.get_serializer_context()).data)
