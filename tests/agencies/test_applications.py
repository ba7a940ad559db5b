"""A9: access applications from organizations not funded for homeless services."""

import pytest
from django.urls import reverse

from agencies.models import AccessApplication, License

pytestmark = pytest.mark.django_db

APPLICATION = {
    "organization": "Riverbend Public Library", "contact_name": "Ana Ruiz", "contact_email": "ana@library.example.org",
    "purpose": "Refer patrons to shelter", "contribution": "Librarians meet people sleeping outside daily",
    "program": "Outreach desk, 2 staff", "access_level": "view_only", "can_name": "", "one_time": "",
}
ALL = [f"1.{n}" for n in range(1, 11)]


def test_a9_an_application_meeting_every_criterion_is_approved_by_the_lead_with_an_mou(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    admin.post(reverse("applications"), APPLICATION)
    application = AccessApplication.objects.get()
    url = reverse("application_detail", args=[application.pk])
    admin.post(url, {"step": "review", "criteria": ALL})
    application.refresh_from_db()
    assert application.status == "ready"
    refused = admin.post(url, {"step": "decide", "decision": "approve"})
    assert "Record the date the MOU was signed" in refused.content.decode()
    admin.post(url, {"step": "decide", "decision": "approve", "mou_signed_on": "2026-11-20"})
    application.refresh_from_db()
    assert application.status == "approved" and application.mou_access_level == "view_only"


def test_a9_missing_criteria_go_to_the_steering_committee_and_a_named_can_must_be_involved(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    admin.post(reverse("applications"), {**APPLICATION, "can_name": "Riverbend CAN"})
    application = AccessApplication.objects.get()
    url = reverse("application_detail", args=[application.pk])
    blocked = admin.post(url, {"step": "review", "criteria": ALL[:-2] + ["1.10"]})
    assert "Inform and involve the leadership of Riverbend CAN" in blocked.content.decode()
    admin.post(url, {"step": "review", "criteria": ALL[:-2] + ["1.10"], "can_involved": "on"})
    application.refresh_from_db()
    assert application.status == "steering"
    admin.post(url, {"step": "decide", "decision": "refuse", "reason": "Existing reports meet the need"})
    application.refresh_from_db()
    assert application.status == "refused" and "Existing reports" in application.decision_reason


@pytest.mark.parametrize("change, reason", [
    ({"one_time": "on"}, "One-time access is not granted"),
])
def test_a9_one_time_requests_are_refused(tenancy, signed_in, change, reason):
    signed_in(tenancy.admin).post(reverse("applications"), {**APPLICATION, **change})
    application = AccessApplication.objects.get()
    assert application.status == "refused" and reason in application.decision_reason


def test_a9_high_abuse_potential_and_previous_revocation_are_refused(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    admin.post(reverse("applications"), APPLICATION)
    application = AccessApplication.objects.get()
    admin.post(reverse("application_detail", args=[application.pk]),
               {"step": "review", "criteria": ALL, "high_abuse_potential": "on"})
    application.refresh_from_db()
    assert application.status == "refused" and "abuse" in application.decision_reason

    revoked = License.objects.get(user=tenancy.worker_b)
    revoked.status = "revoked"
    revoked.save()
    admin.post(reverse("applications"), {**APPLICATION, "contact_email": tenancy.worker_b.email})
    again = AccessApplication.objects.latest("pk")
    assert again.status == "refused" and "revoked before" in again.decision_reason
