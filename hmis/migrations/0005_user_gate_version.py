from django.db import migrations, models


class Migration(migrations.Migration):
    """The per-person version of the sign-in gate's cached state (hmis/gate.py)."""

    dependencies = [
        ("hmis", "0004_user_training_reset_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="gate_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
