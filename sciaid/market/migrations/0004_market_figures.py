"""Stored market figures (`MarketFigures`, `SupplierFigures`, `BuyerFigures`), kept by the order services. Orders
placed before this migration are counted by `manage.py refresh_market_figures`, run once after it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("market", "0003_product_photos"),
        ("regions", "0002_area_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="BuyerFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name="amount (yuan)"),
                ),
                ("orders", models.PositiveIntegerField(default=0, verbose_name="orders")),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="market.buyer",
                        verbose_name="buyer institution",
                    ),
                ),
            ],
            options={
                "verbose_name": "buyer figures",
                "verbose_name_plural": "buyer figures",
                "constraints": [models.UniqueConstraint(fields=("year", "buyer"), name="market_buyer_figures_once")],
            },
        ),
        migrations.CreateModel(
            name="MarketFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("month", models.PositiveSmallIntegerField(verbose_name="month")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("grain_oil", "Grain and oil"),
                            ("vegetables_fruit", "Vegetables and fruit"),
                            ("meat_eggs", "Meat, poultry and eggs"),
                            ("aquatic", "Aquatic products"),
                            ("tea_herbs", "Tea and herbs"),
                            ("processed", "Processed food"),
                            ("handicraft", "Handicrafts"),
                            ("other", "Other products"),
                        ],
                        max_length=32,
                        verbose_name="category",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name="amount (yuan)"),
                ),
                ("quantity", models.PositiveIntegerField(default=0, verbose_name="quantity")),
                ("orders", models.PositiveIntegerField(default=0, verbose_name="orders")),
                (
                    "county",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="regions.area",
                        verbose_name="county",
                    ),
                ),
            ],
            options={
                "verbose_name": "market figures",
                "verbose_name_plural": "market figures",
                "constraints": [
                    models.UniqueConstraint(fields=("year", "county", "month", "category"), name="market_figures_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="SupplierFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("month", models.PositiveSmallIntegerField(verbose_name="month")),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, default=0, max_digits=16, verbose_name="amount (yuan)"),
                ),
                ("orders", models.PositiveIntegerField(default=0, verbose_name="orders")),
                (
                    "county",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="regions.area",
                        verbose_name="county",
                    ),
                ),
                (
                    "supplier",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="market.supplier",
                        verbose_name="supplier",
                    ),
                ),
            ],
            options={
                "verbose_name": "supplier figures",
                "verbose_name_plural": "supplier figures",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("year", "county", "supplier", "month"), name="market_supplier_figures_once"
                    )
                ],
            },
        ),
    ]
