"""Django's admin for operators (superusers only): accounts and their role grants. Managers use the app's pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from sciaid.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area"]
    fields = ["role", "area"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "phone", "organisation", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "grants__role"]
    search_fields = ["username", "full_name", "phone", "email"]
    inlines = [RoleGrantInline]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("SciAid"), {"fields": ["phone", "full_name", "organisation", "household"]}),
    ]
    raw_id_fields = ["household"]
