"""Read-only admin views of demands and subsidy rules for operators; changes go through the services."""

from django.contrib import admin

from sciaid.assistance.models import Assignment, Demand, KnowledgeEntry, SlaPolicy, SubsidyRule, SubsidyStatement
from sciaid.core.admin import ReadOnlyAdmin


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "village", "specialty", "submitted_at", "due_at"]
    list_filter = ["status", "urgency"]
    search_fields = ["title"]
    raw_id_fields = ["village", "household", "requester"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["demand", "expert", "status", "assigned_at"]
    list_filter = ["status"]


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(ReadOnlyAdmin):
    list_display = ["area", "year", "expert_per_service", "expert_cap", "officer_first_amount", "officer_cap"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ReadOnlyAdmin):
    list_display = ["county", "triage_hours", "accept_hours", "resolve_hours"]


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "specialty", "village", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["demand", "village"]


@admin.register(SubsidyStatement)
class SubsidyStatementAdmin(ReadOnlyAdmin):
    list_display = ["county", "year", "status", "total", "approved_at"]
    list_filter = ["status", "year"]
