"""Django's admin for operators: the work calendar, where next year's holidays go in as soon as they are announced."""

from django.contrib import admin

from sciaid.core.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"
