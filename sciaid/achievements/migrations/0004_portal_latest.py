from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("achievements", "0003_achievement_search_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="achievement",
            index=models.Index(fields=["status", "-published_on", "-id"], name="achv_portal_latest_idx"),
        ),
    ]
