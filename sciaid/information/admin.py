"""Django admin for the operators: the product catalogue and markets; news and prices go through the pages."""

from django.contrib import admin

from sciaid.information.models import Market, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    search_fields = ("name",)


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "address")
    search_fields = ("name", "area__name")
    raw_id_fields = ("area",)
