"""Django admin for the operators: read-mostly views of the catalogue; changes go through the pages and services
(they keep the search columns and the duplicate rule)."""

from django.contrib import admin

from sciaid.achievements.models import Achievement, TechnologyNeed, Transfer


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "owner", "area", "status")
    list_filter = ("kind", "status")
    search_fields = ("title", "owner", "title_pinyin")
    raw_id_fields = ("area", "published_by", "regions")
    filter_horizontal = ("industries",)
    readonly_fields = ("status", "words", "title_pinyin", "title_initials")


@admin.register(TechnologyNeed)
class TechnologyNeedAdmin(admin.ModelAdmin):
    list_display = ("title", "area", "industry", "requester_kind", "status")
    list_filter = ("status", "requester_kind")
    search_fields = ("title",)
    raw_id_fields = ("area", "matched_achievement")
    readonly_fields = ("status", "words")


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = ("achievement", "recipient", "area", "mode", "signed_on", "status")
    list_filter = ("status", "mode")
    search_fields = ("recipient", "achievement__title")
    raw_id_fields = ("achievement", "need", "area", "households")
    readonly_fields = ("status",)
