from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("demonstration", "0001_demonstration"),
        ("projects", "0001_calls_projects_reviews_inspections"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="demo_sites",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="demonstration.demosite", verbose_name="demonstration sites"
            ),
        ),
    ]
