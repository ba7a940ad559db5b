"""ROI lifecycle: expiry and its warnings (C6), revocation (C9), gap approvals (C6),
the list of clients without an ROI (C11), and the PII rule for alerts (E1)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from agencies.models import License
from clients.models import Client
from consent import services
from consent.models import GapApproval
from hmis.models import Notification
from tests.clients.states import make_client
from tests.timetravel import noon

pytestmark = pytest.mark.django_db


def pii_of(client: Client) -> list[str]:
    return [client.first_name, client.last_name, client.dob.isoformat(), client.dob.strftime("%m/%d/%Y"), client.ssn]


def assert_no_pii(texts, client):
    for text in texts:
        for value in pii_of(client):
            assert value not in text, f"{value!r} leaked into {text!r}"


def test_c6_sharing_ends_when_the_roi_expires_and_the_daily_job_is_safe_to_run_twice(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, signed_on=date.today() - timedelta(days=300))
    roi = person.rois.get()
    other = signed_in(tenancy.worker_b)
    assert other.get(reverse("clients:detail", args=[person.client_id])).status_code == 200
    with time_machine.travel(noon(roi.expires_on + timedelta(days=1))):
        other = signed_in(tenancy.worker_b)
        # Even before the job runs, the visibility module refuses an expired consent.
        assert other.get(reverse("clients:detail", args=[person.client_id])).status_code == 404
        first = services.run_daily_roi_jobs()
        second = services.run_daily_roi_jobs()
        person.refresh_from_db()
        assert person.sharing == "none" and first["expired"] == 1 and second["expired"] == 0
        # The serving agency still sees its client.
        assert signed_in(tenancy.worker_a).get(reverse("clients:detail", args=[person.client_id])).status_code == 200


def test_c6_case_workers_are_warned_before_expiry_once_and_without_pii(tenancy, django_capture_on_commit_callbacks):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, signed_on=date.today() - timedelta(days=300))
    roi = person.rois.get()
    warning_day = roi.expires_on - timedelta(days=tenancy.coc1.roi_expiry_warning_days)
    with time_machine.travel(noon(warning_day - timedelta(days=1))):
        assert services.run_daily_roi_jobs()["warned"] == 0
    with time_machine.travel(noon(warning_day)), django_capture_on_commit_callbacks(execute=True):
        services.run_daily_roi_jobs()
        services.run_daily_roi_jobs()
    notes = Notification.objects.filter(recipient=tenancy.worker_a)
    assert notes.count() == 1 and person.display_id in notes.get().subject
    assert len(mail.outbox) == 1 and person.display_id in mail.outbox[0].subject
    assert_no_pii([notes.get().subject, notes.get().body, mail.outbox[0].subject, mail.outbox[0].body], person)


def test_c9_revocation_stops_sharing_for_the_whole_household_and_tells_the_hmis_lead(
    tenancy, signed_in, django_capture_on_commit_callbacks
):
    worker = signed_in(tenancy.worker_a)
    from tests.clients.helpers import consent_step, create_client_step

    consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    roi = tenancy.agency_a.rois.get()
    create_client_step(worker, roi.pk)
    create_client_step(worker, roi.pk, first_name="Lucia", ssn="", ssn_data_quality=99, dob="2015-06-01")
    head, child = roi.clients.order_by("pk")
    other = signed_in(tenancy.worker_b)
    assert other.get(reverse("clients:detail", args=[child.client_id])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(reverse("clients:roi_revoke", args=[head.client_id, roi.pk]),
                               {"revoked_on": date.today().isoformat()})
    assert mail.outbox, "the HMIS Lead is emailed too"
    assert response.status_code == 302
    for member in (head, child):
        member.refresh_from_db()
        assert member.sharing == "none"
        assert other.get(reverse("clients:detail", args=[member.client_id])).status_code == 404
    alert = Notification.objects.get(recipient=tenancy.admin)
    assert head.display_id in alert.body and child.display_id in alert.body
    assert_no_pii([alert.subject, alert.body] + [m.body for m in mail.outbox] + [m.subject for m in mail.outbox], head)


def test_c9_only_the_recording_agency_revokes_its_roi(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    roi = person.rois.get()
    response = signed_in(tenancy.worker_b).post(reverse("clients:roi_revoke", args=[person.client_id, roi.pk]),
                                                {"revoked_on": date.today().isoformat()})
    assert response.status_code == 404


def test_c6_data_in_roi_gap_needs_lead_approval(tenancy, signed_in):
    start = date.today() - timedelta(days=500)
    from hmis.dates import fiscal_year_of
    from tests.factories import complete_training

    complete_training(tenancy.worker_a, fiscal_year=fiscal_year_of(start))  # trained back then too (U4)
    with time_machine.travel(noon(start)):
        person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    old = person.rois.get()
    renewed_on = old.expires_on + timedelta(days=60)
    services.roi_record(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a),
                        sharing_level="full", consent_type="signed", signed_on=renewed_on, taken_by=tenancy.worker_a,
                        project=tenancy.shelter_a, clients=[person])
    gap_day = old.expires_on + timedelta(days=10)
    worker = signed_in(tenancy.worker_a)
    correction = {
        "first_name": "Ada", "middle_name": "", "last_name": "Clientson", "name_suffix": "", "name_data_quality": 1,
        "ssn": "", "ssn_data_quality": 1, "dob": "1980-05-17", "dob_data_quality": 1, "white": "on",
        "race_none": "", "additional_race_ethnicity": "", "sex": 1, "veteran_status": 0, "kind": "inaccurate",
        "note": "", "information_date": gap_day.isoformat(),
    }
    refused = worker.post(reverse("clients:correct", args=[person.client_id]), correction)
    assert "Ask the HMIS Lead to approve" in refused.content.decode()
    worker.post(reverse("clients:gap_request", args=[person.client_id]),
                {"starts_on": gap_day.isoformat(), "ends_on": gap_day.isoformat(), "reason": "Paper intake"})
    gap = GapApproval.objects.get()
    assert gap.status == "requested" and Notification.objects.filter(recipient=tenancy.admin).exists()
    assert worker.post(reverse("clients:correct", args=[person.client_id]), correction).status_code == 200  # still waits
    signed_in(tenancy.admin).post(reverse("consent:gap_decide", args=[gap.pk]), {"decision": "approve"})
    accepted = worker.post(reverse("clients:correct", args=[person.client_id]), correction)
    assert accepted.status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Clientson"


def test_c11_hmis_lead_lists_clients_without_an_roi_in_force(tenancy, signed_in):
    current = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Cur", ssn="123450001")
    stale = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Old", ssn="123450002",
                        signed_on=date.today() - timedelta(days=360))
    with time_machine.travel(noon(date.today() + timedelta(days=10))):
        page = signed_in(tenancy.admin, None).get(reverse("consent:clients_without_roi")).content.decode()
    assert stale.display_id in page and current.display_id not in page
    assert signed_in(tenancy.worker_a).get(reverse("consent:clients_without_roi")).status_code == 403


def test_c8_signed_roi_documents_are_kept_seven_years_after_expiry(tenancy):
    from django.core.files.uploadedfile import SimpleUploadedFile

    roi = services.roi_record(
        actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a), sharing_level="full",
        consent_type="signed", signed_on=date(2026, 3, 1), taken_by=tenancy.worker_a, project=tenancy.shelter_a,
        upload=SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100),
    )
    assert roi.expires_on == date(2027, 2, 28)
    assert roi.document.retain_until == date(2034, 2, 28)
