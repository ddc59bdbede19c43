"""Django admin for the operators: read-mostly views of the sites; changes go through the pages and services (they
check the village, the households and the figures' authors)."""

from django.contrib import admin

from sciaid.demonstration.models import DemoSite, SiteFigures, SitePhoto


@admin.register(DemoSite)
class DemoSiteAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "operator_kind", "village", "industry", "status")
    list_filter = ("kind", "operator_kind", "status")
    search_fields = ("name", "operator_name", "name_pinyin")
    raw_id_fields = ("village", "industry", "achievements", "commissioners", "poor_households")
    readonly_fields = ("status", "name_pinyin")


@admin.register(SiteFigures)
class SiteFiguresAdmin(admin.ModelAdmin):
    list_display = ("site", "year", "output", "income", "households_driven")
    list_filter = ("year",)
    raw_id_fields = ("site",)


@admin.register(SitePhoto)
class SitePhotoAdmin(admin.ModelAdmin):
    list_display = ("site", "caption", "width", "height")
    raw_id_fields = ("site",)
