"""Django admin for operators, read-only; people use the scoped pages, which apply the business rules."""

from django.contrib import admin

from sciaid.core.admin import ReadOnlyAdmin
from sciaid.experts.models import Expert, Pairing, Specialty


@admin.register(Specialty)
class SpecialtyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "name_en", "parent", "position")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "level", "home_area", "is_commissioner", "is_active")
    list_filter = ("level", "is_commissioner", "is_active")
    search_fields = ("name", "organisation")
    raw_id_fields = ("user", "home_area")
    readonly_fields = ("expertise_tokens",)


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ("expert", "village", "year")
    list_filter = ("year",)
    raw_id_fields = ("expert", "village")
