from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_seed_work_calendar"),
    ]

    operations = [
        migrations.CreateModel(
            name="PortalTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=40, verbose_name="figure")),
                ("area_code", models.CharField(max_length=12, verbose_name="division code")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("value", models.BigIntegerField(default=0, verbose_name="value")),
            ],
            options={
                "verbose_name": "portal figure",
                "verbose_name_plural": "portal figures",
                "ordering": ["key", "year", "area_code"],
                "constraints": [
                    models.UniqueConstraint(fields=("key", "year", "area_code"), name="core_portal_tally_once")
                ],
            },
        ),
    ]
