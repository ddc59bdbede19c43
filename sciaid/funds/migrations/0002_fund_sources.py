"""Seed the fund-source catalogue of issue 4; admins edit it afterwards, and sources they already have are kept."""

from django.db import migrations

#: (code, Chinese name, English name)
SOURCES = [
    ("province-transfer", "省级转移支付", "Province transfer payment"),
    ("city", "市级资金", "City funds"),
    ("county", "县级资金", "County funds"),
    ("special", "专项资金", "Special fund"),
    ("other", "其他", "Other"),
]


def plant(apps, schema_editor):
    FundSource = apps.get_model("funds", "FundSource")
    existing = set(FundSource.objects.values_list("code", flat=True))
    FundSource.objects.bulk_create(
        [
            FundSource(code=code, name_zh=name_zh, name_en=name_en, position=position)
            for position, (code, name_zh, name_en) in enumerate(SOURCES, start=1)
            if code not in existing
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_ledger")]

    operations = [migrations.RunPython(plant, migrations.RunPython.noop)]
