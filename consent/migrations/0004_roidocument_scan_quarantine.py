# E5: unscanned uploads are quarantined until scanned; infected ones are marked.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("consent", "0003_roi_roi_unwarned_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="roidocument",
            name="scan_result",
            field=models.CharField(
                choices=[("clean", "No virus found"), ("not_scanned", "Quarantined: awaiting a virus scan"),
                         ("infected", "Virus found: the file was deleted")],
                max_length=12),
        ),
    ]
