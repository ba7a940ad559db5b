"""Intake through the real pages, for tests: consent first, then the client."""

from datetime import date

from django.urls import reverse

from consent.models import Roi

CLIENT = {
    "first_name": "Marisol", "middle_name": "", "last_name": "Quintero", "name_suffix": "",
    "name_data_quality": 1, "ssn": "219-09-9999", "ssn_data_quality": 1,
    "dob": "1988-04-12", "dob_data_quality": 1, "hispanic_latinao": "on", "race_none": "",
    "additional_race_ethnicity": "", "sex": 0, "veteran_status": 0,
}


def consent_step(client, *, sharing="full", project=None, consent_type="signed", signed_on=None,
                 taken_by=None, document=None, lock=False):
    data = {
        "sharing_level": sharing, "consent_type": consent_type,
        "signed_on": (signed_on or date.today()).isoformat(), "lock_warning_given": "on",
    }
    if project is not None:
        data["project"] = project.pk
    if taken_by is not None:
        data["taken_by"] = taken_by.pk
    if lock:
        data["lock_requested"] = "on"
    if document is not None:
        data["document"] = document
    return client.post(reverse("clients:intake_consent"), data)


def create_client_step(client, roi_pk, **overrides):
    data = {**CLIENT, **overrides}
    client.post(reverse("clients:intake_client", args=[roi_pk]), {**data, "action": "check"})
    return client.post(reverse("clients:intake_client", args=[roi_pk]), {**data, "action": "create", "checked": "1"})


def full_intake(client, user, *, sharing="full", project=None, **overrides):
    """Consent + one client + finish; returns the new Client."""
    from clients.models import Client

    response = consent_step(client, sharing=sharing, project=project, taken_by=user)
    assert response.status_code == 302, response.content.decode()[:3000]
    roi = Roi.objects.latest("pk")
    response = create_client_step(client, roi.pk, **overrides)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("clients:intake_finish", args=[roi.pk]))
    return Client.objects.latest("pk")
