"""The Django admin for operators: read-only views of areas, households, pairings and visits, superusers only.

Changes go through the pages and the API, which call `regions.services` (validation, jurisdiction, audit); the admin
would bypass them, so it only lets superusers look.
"""

from django.contrib import admin

from sciaid.core.admin import ReadOnlyAdmin
from sciaid.regions.models import Area, CadrePairing, Household, HouseholdIncome, Visit


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "is_poor", "lifted_year"]
    list_filter = ["level", "is_poor"]
    search_fields = ["code", "name", "initials"]
    list_select_related = ["parent"]
    show_full_result_count = False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["number", "head_name", "village", "id_number_masked", "status"]
    list_filter = ["status", "main_cause"]
    search_fields = ["number", "head_name"]
    list_select_related = ["village"]
    exclude = ["id_number_encrypted", "id_number_hash"]
    show_full_result_count = False


@admin.register(HouseholdIncome)
class HouseholdIncomeAdmin(ReadOnlyAdmin):
    list_display = ["household", "year", "income_per_capita"]
    list_select_related = ["household"]


@admin.register(CadrePairing)
class CadrePairingAdmin(ReadOnlyAdmin):
    list_display = ["cadre_name", "household", "village", "started_on", "ended_on"]
    list_select_related = ["household", "village"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["visited_on", "pairing", "village", "relief_amount"]
    list_select_related = ["pairing__household", "village"]
