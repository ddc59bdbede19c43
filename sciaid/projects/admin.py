"""Django admin for operators, read-only like every app's: a project's life is a chain of audited service steps
(scores once submitted, a draw with its seed and pools, a rectification's evidence), and an edit here would bypass
them. Operators look a project up with everything attached to it on one page."""

from django.contrib import admin

from sciaid.core.admin import ReadOnlyAdmin
from sciaid.projects.models import (
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


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page, never added, changed or deleted there."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("position", "name", "weight")


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("title", "area", "year", "kind", "budget_cap", "per_project_cap", "deadline")
    list_filter = ("year", "kind")
    search_fields = ("title",)
    raw_id_fields = ("area", "budget")
    inlines = [CriterionInline]


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = ("kind", "name", "unit", "planned", "target", "achieved")


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ("category", "description", "amount")


class TeamMemberInline(ReadOnlyInline):
    model = TeamMember
    fields = ("name", "organisation", "duty", "user")
    raw_id_fields = ("user",)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("name", "created_at")
    readonly_fields = ("created_at",)


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ("due_on", "title", "report", "reported_at")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("title", "organisation", "county", "call", "status", "requested_amount", "approved_amount", "score")
    list_filter = ("status", "call__year")
    search_fields = ("title", "organisation")
    raw_id_fields = ("call", "county", "applicant", "villages", "signed_by_applicant", "signed_by_county")
    inlines = [IndicatorInline, BudgetLineInline, TeamMemberInline, AttachmentInline, MilestoneInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("project", "reviewer", "status", "total", "submitted_at")
    list_filter = ("status",)
    search_fields = ("project__title", "reviewer__username")
    raw_id_fields = ("project", "reviewer")


class InspectionItemInline(ReadOnlyInline):
    model = InspectionItem
    fields = ("position", "project", "level", "findings", "recorded_at")
    raw_id_fields = ("project",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ("title", "area", "year", "seed", "project_count", "inspector_count", "drawn_at", "published_at")
    list_filter = ("year",)
    search_fields = ("title",)
    raw_id_fields = ("area", "inspectors")
    inlines = [InspectionItemInline]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "project", "deadline", "status", "escalated_at", "closed_at")
    list_filter = ("status",)
    search_fields = ("description", "project__title")
    raw_id_fields = ("project", "item")
