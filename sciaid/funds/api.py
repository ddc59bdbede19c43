"""API of the funds ledger: budgets, allocations and expenditures, each with its balances.

Entries are posted (POST) through `sciaid.funds.services` and never changed or deleted: there is no PUT, PATCH or
DELETE. A correction is `POST /allocations/{id}/reverse/` or `POST /expenditures/{id}/reverse/` with a reason (and
`reversed_on` when recorded later). `fund-sources` lists the catalogue of sources a budget names by its code.
"""

from __future__ import annotations

from django.db.models import F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from sciaid.core.api import (
    CREATE_ERRORS,
    READ_ERRORS,
    ScopedModelViewSet,
    ScopedPrimaryKeyRelatedField,
    ScopedReadOnlyViewSet,
    ScopedSlugRelatedField,
    error_responses,
)
from sciaid.funds import services
from sciaid.funds.filters import AllocationFilter, BudgetFilter, ExpenditureFilter
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource, total_of
from sciaid.regions.choices import AreaLevel
from sciaid.regions.models import Area

ACTION_ERRORS = error_responses(400, 403, 404)
POSTING_METHODS = ["get", "post", "head", "options"]


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def balance(help_text) -> serializers.DecimalField:
    return money(read_only=True, help_text=help_text)


class FundSourceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text=_("In the request's language"))

    class Meta:
        model = FundSource
        fields = ["id", "code", "name", "name_zh", "name_en", "position"]
        read_only_fields = fields


@extend_schema_view(retrieve=extend_schema(responses={200: FundSourceSerializer, **error_responses(404)}))
class FundSourceViewSet(ScopedReadOnlyViewSet):
    """Where budgets' money comes from (province transfer payment, city, county, special fund …): the catalogue a
    budget's `source` code is taken from. Read by everyone who reads the books; platform admins edit it on the
    `/funds/sources/` page."""

    queryset = FundSource.objects.order_by("position", "code")
    serializer_class = FundSourceSerializer


class BudgetSerializer(serializers.ModelSerializer):
    area = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Area.objects.filter(level__lte=AreaLevel.COUNTY),
        help_text=_("Division code of the province, city or county"),
    )
    area_name = serializers.CharField(source="area.name", read_only=True)
    source = serializers.SlugRelatedField(slug_field="code", queryset=FundSource.objects.all())
    amount = money(min_value=0)
    allocated = balance(_("Sum of the allocations, reversals included"))
    unallocated = balance(_("amount − allocated"))
    spent = balance(_("Sum of the expenditures of its allocations"))
    balance = balance(_("allocated − spent"))

    class Meta:
        model = Budget
        fields = [
            "id",
            "year",
            "area",
            "area_name",
            "source",
            "amount",
            "purpose",
            "allocated",
            "unallocated",
            "spent",
            "balance",
            "created_at",
        ]
        read_only_fields = ["created_at"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: BudgetSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: BudgetSerializer, **CREATE_ERRORS}),
)
class BudgetViewSet(ScopedModelViewSet):
    """Budgets of the user's areas, each with allocated, unallocated, spent and balance."""

    queryset = Budget.objects.order_by("-year", "area__code", "id")
    serializer_class = BudgetSerializer
    filterset_class = BudgetFilter
    select_related = ("area", "source")
    http_method_names = POSTING_METHODS

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def create_object(self, serializer):
        budget = services.create_budget(self.request.user, **serializer.validated_data)
        return self.get_queryset().get(pk=budget.pk)


class AllocationSerializer(serializers.ModelSerializer):
    budget = ScopedPrimaryKeyRelatedField(queryset=Budget.objects.all())
    amount = money(min_value=0)
    key = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text=_("Idempotency key: posting it again is a no-op")
    )
    recipient_type = serializers.SerializerMethodField(help_text=_("app_label.model of the recipient object"))
    object_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=_("The recipient's id, for a commissioner, a workstation or a project (instead of a name)"),
    )
    reversed_amount = balance(_("Sum of the reversing entries (≤ 0)"))
    net = balance(_("amount + reversed"))
    spent = balance(_("Sum of its expenditures"))
    balance = balance(_("net − spent"))

    class Meta:
        model = Allocation
        fields = [
            "id",
            "budget",
            "recipient_kind",
            "recipient_name",
            "recipient_type",
            "object_id",
            "amount",
            "purpose",
            "allocated_on",
            "key",
            "reverses",
            "reason",
            "reversed_amount",
            "net",
            "spent",
            "balance",
            "created_at",
        ]
        read_only_fields = ["reverses", "reason", "created_at"]
        extra_kwargs = {"recipient_name": {"required": False}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_recipient_type(self, allocation: Allocation) -> str:
        ct = allocation.content_type
        return f"{ct.app_label}.{ct.model}" if ct else ""


class ReversalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    reversed_on = serializers.DateField(
        required=False,
        help_text=_(
            "The day of the reversal, when recorded later (default today): not in the future, not before the "
            "budget's year starts, not before the entry it reverses"
        ),
    )


class AllocationReversalSerializer(ReversalSerializer):
    amount = money(min_value=0, required=False, help_text=_("Default: the whole unspent balance"))


@extend_schema_view(
    retrieve=extend_schema(responses={200: AllocationSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: AllocationSerializer, **CREATE_ERRORS}),
)
class AllocationViewSet(ScopedModelViewSet):
    """Allocations out of budgets (and their reversing entries), each with its spent and balance.

    A commissioner, a workstation or a project is named by its id (`object_id`, one of those that may receive money
    from the budget); an organisation or the platform operation in words (`recipient_name`).
    """

    queryset = Allocation.objects.order_by("allocated_on", "id")
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    select_related = ("content_type",)
    http_method_names = POSTING_METHODS

    def get_queryset(self):
        return super().get_queryset().with_totals()

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        budget, object_id = data.pop("budget"), data.pop("object_id", None)
        if object_id is not None:
            data["recipient"] = services.registered_recipient(data["recipient_kind"], budget, object_id)
        allocation = services.allocate(self.request.user, budget, **data)
        return self.get_queryset().get(pk=allocation.pk)

    @extend_schema(request=AllocationReversalSerializer, responses={201: AllocationSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Take back (part of) the unspent balance into the budget by a reversing entry, with a reason."""
        allocation = self.get_object()
        body = AllocationReversalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.reverse_allocation(request.user, allocation, **body.validated_data)
        data = self.get_serializer(self.get_queryset().get(pk=reversal.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class ExpenditureSerializer(serializers.ModelSerializer):
    allocation = ScopedPrimaryKeyRelatedField(queryset=Allocation.objects.all(), required=False)
    budget = ScopedPrimaryKeyRelatedField(
        queryset=Budget.objects.all(),
        required=False,
        write_only=True,
        help_text=_("Instead of `allocation`: spend directly against a platform-operation budget"),
    )
    amount = money(min_value=0)
    voucher = serializers.FileField(write_only=True, required=False, help_text=_("PDF, JPEG or PNG (multipart)"))
    voucher_url = serializers.SerializerMethodField()
    allocation_balance = balance(_("What is left of the allocation now"))

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "allocation",
            "budget",
            "category",
            "amount",
            "spent_on",
            "payee",
            "description",
            "voucher",
            "voucher_url",
            "reverses",
            "reason",
            "allocation_balance",
            "created_at",
        ]
        read_only_fields = ["reverses", "reason", "created_at"]

    def validate(self, attrs):
        if bool(attrs.get("allocation")) == bool(attrs.get("budget")):
            raise serializers.ValidationError({"allocation": _("Give either an allocation or a budget.")})
        return attrs

    @extend_schema_field(OpenApiTypes.URI)
    def get_voucher_url(self, expenditure: Expenditure) -> str | None:
        if not expenditure.voucher:
            return None
        url = reverse("funds:voucher-file", args=[expenditure.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def with_allocation_balance(queryset):
    """Annotate each expenditure with its allocation's current balance (subqueries, no per-row query)."""
    allocation = OuterRef("allocation")
    return queryset.annotate(
        _allocated=total_of(Allocation.objects.filter(pk=allocation).values("pk"))
        + total_of(Allocation.objects.filter(reverses=allocation).values("reverses")),
        _spent=total_of(Expenditure.objects.filter(allocation=allocation).values("allocation")),
    ).annotate(allocation_balance=F("_allocated") - F("_spent"))


@extend_schema_view(
    retrieve=extend_schema(responses={200: ExpenditureSerializer, **READ_ERRORS}),
    create=extend_schema(responses={201: ExpenditureSerializer, **CREATE_ERRORS}),
)
class ExpenditureViewSet(ScopedModelViewSet):
    """Expenditures of the user's areas, each with what is left of its allocation."""

    queryset = Expenditure.objects.order_by("spent_on", "id")
    serializer_class = ExpenditureSerializer
    filterset_class = ExpenditureFilter
    http_method_names = POSTING_METHODS

    def get_queryset(self):
        return with_allocation_balance(super().get_queryset())

    def create_object(self, serializer):
        data = dict(serializer.validated_data)
        target = data.pop("allocation", None) or data.pop("budget")
        data.pop("budget", None)
        expenditure = services.spend(self.request.user, target, **data)
        return self.get_queryset().get(pk=expenditure.pk)

    @extend_schema(request=ReversalSerializer, responses={201: ExpenditureSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Cancel the expenditure by an equal negative entry, with a reason; its money returns to the allocation."""
        expenditure = self.get_object()
        body = ReversalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = services.reverse_expenditure(request.user, expenditure, **body.validated_data)
        data = self.get_serializer(self.get_queryset().get(pk=reversal.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)
