# U1: the HMIS Lead's reason for granting a license without a User Access Request.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0009_agency_grievance_contact_email_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="license",
            name="grant_override_reason",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="reason for granting without a User Access Request"),
        ),
    ]
