import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("commissioners", "0002_servicelog_training_event"),
        ("demonstration", "0001_demonstration"),
    ]

    operations = [
        migrations.AddField(
            model_name="workstation",
            name="demo_site",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="demonstration.demosite",
                verbose_name="demonstration site",
            ),
        ),
    ]
