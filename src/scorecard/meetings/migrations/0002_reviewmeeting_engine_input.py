from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewmeeting",
            name="engine_input",
            field=models.JSONField(
                blank=True,
                help_text="The whole engine input scored at the meeting (structure and values).",
                null=True,
            ),
        ),
    ]
