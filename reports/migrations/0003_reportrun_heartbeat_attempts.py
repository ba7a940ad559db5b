from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_reportrun"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportrun",
            name="heartbeat_at",
            field=models.DateTimeField(
                blank=True, null=True,
                help_text="When its worker last reported progress; the periodic check fails runs gone silent."),
        ),
        migrations.AddField(
            model_name="reportrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="How many times a worker started it (a task re-delivered after a worker died starts over)."),
        ),
    ]
