"""Give every assessment, service, contact and CE record a HUD CSV record ID."""

from django.db import migrations, models

import enrollments.models

MODELS = ["assessment", "service", "currentlivingsituation", "ceassessment", "ceevent"]


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("enrollments", name)
        for pk in model.objects.filter(record_id__isnull=True).values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(record_id=enrollments.models.new_record_id())


class Migration(migrations.Migration):
    dependencies = [("enrollments", "0002_contacts_and_coordinated_entry")]

    operations = [
        *[migrations.AddField(model_name=name, name="record_id", field=models.CharField(max_length=32, null=True))
          for name in MODELS],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="record_id", field=models.CharField(
            default=enrollments.models.new_record_id, editable=False, max_length=32, unique=True))
          for name in MODELS],
    ]
