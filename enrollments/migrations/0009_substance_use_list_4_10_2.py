"""4.10 substance use disorder answers with HUD's list 4.10.2 (No, Alcohol, Drug, Both,
8, 9, 99), not the Yes/No list 1.8 it used before.

0, 8, 9 and 99 mean the same in both lists. A former "Yes" (1) would now read "Alcohol
use disorder", which nobody recorded: HUD's list has no "Yes, kind unknown", so which
disorder is "Data not collected" (99). That the client has a disabling condition is kept
where HUD keeps it, on the enrollment (3.08 Disabling Condition), which this leaves alone.
"""

from django.db import migrations

FORMER_YES, NOT_COLLECTED = 1, 99


def to_list_4_10_2(apps, schema_editor):
    Assessment = apps.get_model("enrollments", "Assessment")
    Assessment.objects.filter(substance_use_disorder=FORMER_YES).update(substance_use_disorder=NOT_COLLECTED)


class Migration(migrations.Migration):

    dependencies = [
        ("enrollments", "0008_assessment_program_specific_elements"),
    ]

    # Not reversible into the old meaning: going back leaves the 4.10.2 codes as they are.
    operations = [migrations.RunPython(to_list_4_10_2, migrations.RunPython.noop)]
