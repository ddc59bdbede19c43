from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0004_article_search_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trainingevent",
            index=models.Index(fields=["status", "ends_on"], name="training_event_upcoming_idx"),
        ),
    ]
