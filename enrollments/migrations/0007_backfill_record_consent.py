"""C12: records entered before consent scoped data get the consent that covered them:
the entering agency's newest ROI for the client signed by the record's date. Imported
records (no ROI of theirs) stay without one: shared with no other agency."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Roi = apps.get_model("consent", "Roi")
    Client = apps.get_model("clients", "Client")
    Correction = apps.get_model("clients", "Correction")
    Enrollment = apps.get_model("enrollments", "Enrollment")

    def newest(**filters):
        return Subquery(Roi.objects.filter(**filters).order_by("-signed_on", "-recorded_at", "-pk").values("pk")[:1])

    Client.objects.update(consent=Subquery(
        Roi.objects.filter(clients=OuterRef("pk"), agency_id=OuterRef("entered_by_agency_id"))
        .order_by("signed_on", "recorded_at", "pk").values("pk")[:1]))
    Correction.objects.update(consent=newest(clients=OuterRef("client_id"), agency_id=OuterRef("agency_id"),
                                             recorded_at__lte=OuterRef("corrected_at")))
    Enrollment.objects.update(consent=newest(clients=OuterRef("client_id"), agency_id=OuterRef("agency_id"),
                                             signed_on__lte=OuterRef("information_date")))
    for name in ("Assessment", "Service", "CurrentLivingSituation", "CeAssessment", "CeEvent"):
        model = apps.get_model("enrollments", name)
        client_of_stay = Enrollment.objects.filter(pk=OuterRef(OuterRef("enrollment_id"))).values("client_id")
        model.objects.update(consent=newest(clients__in=client_of_stay, agency_id=OuterRef("agency_id"),
                                            signed_on__lte=OuterRef("information_date")))


class Migration(migrations.Migration):
    dependencies = [
        ("enrollments", "0006_assessment_consent_ceassessment_consent_and_more"),
        ("clients", "0005_client_consent_client_version_correction_consent"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
