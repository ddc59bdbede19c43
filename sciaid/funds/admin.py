"""Django admin for operators, read-only: the ledger is append-only, and people post through the scoped pages."""

from django.contrib import admin

from sciaid.core.admin import ReadOnlyAdmin
from sciaid.funds.models import Allocation, Budget, Expenditure, FundSource


@admin.register(FundSource)
class FundSourceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "name_en", "position")


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("year", "area", "source", "amount", "purpose")
    list_filter = ("year", "source")
    raw_id_fields = ("area",)


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("id", "budget", "recipient_kind", "recipient_name", "amount", "allocated_on", "reverses")
    list_filter = ("recipient_kind",)
    raw_id_fields = ("budget", "reverses")


@admin.register(Expenditure)
class ExpenditureAdmin(ReadOnlyAdmin):
    list_display = ("id", "allocation", "category", "amount", "spent_on", "payee", "reverses")
    list_filter = ("category",)
    raw_id_fields = ("allocation", "reverses")
