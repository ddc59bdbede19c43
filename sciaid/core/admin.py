"""Django's admin for operators: a read-only base for domain models, and the work calendar, where next year's
holidays go in as soon as they are announced."""

from django.contrib import admin

from sciaid.core.models import CalendarDay


class ReadOnlyAdmin(admin.ModelAdmin):
    """Superusers may look; nobody writes here, because writes in the admin would bypass the services (validation,
    jurisdiction, audit)."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
