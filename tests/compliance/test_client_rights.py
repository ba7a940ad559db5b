"""R1, R2, R4: a client's copy of their record and the audit of who saw it."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from compliance.models import ClientRightsRequest
from hmis.models import AuditEntry
from tests.clients.states import make_client

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_r1_a_written_request_is_due_in_5_business_days_and_the_copy_prints(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a, ssn="123456789")
    worker = signed_in(tenancy.worker_a)
    url = reverse("compliance:client_rights", args=[person.client_id])
    worker.post(url, {"kind": "copy", "received_on": "2026-11-20", "language": "en"})
    request = ClientRightsRequest.objects.get()
    assert request.due_on == date(2026, 11, 30)  # Thanksgiving (11/26) and the weekend skipped
    response = worker.get(reverse("compliance:client_rights_printout", args=[person.client_id, request.pk]))
    assert response["Content-Disposition"].endswith(f'copy-{person.display_id}-en.pdf"')
    text = pdf_text(response)
    assert "Ada Okonkwo" in text and "XXX-XX-6789" in text and "123456789" not in text


def test_r2_r4_the_audit_printout_lists_every_reader_and_is_itself_logged(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    signed_in(tenancy.worker_b).get(reverse("clients:detail", args=[person.client_id]))  # another agency looks
    worker = signed_in(tenancy.worker_a)
    worker.post(reverse("compliance:client_rights", args=[person.client_id]),
                {"kind": "audit", "received_on": date.today().isoformat(), "language": "es"})
    request = ClientRightsRequest.objects.get()
    response = worker.get(reverse("compliance:client_rights_printout", args=[person.client_id, request.pk]))
    text = pdf_text(response)
    assert "Quién accedió a su expediente" in text
    assert tenancy.worker_b.display_name in text and "Agency B" in text and "vio" in text
    assert "creó" in text  # the record's creation by Agency A
    assert AuditEntry.objects.filter(access_kind="print", client_ref=person.client_id, actor=tenancy.worker_a).exists()
    request.refresh_from_db()
    assert request.fulfilled_at is not None


def test_r2_only_the_serving_agency_produces_printouts(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    assert signed_in(tenancy.worker_b).get(reverse("compliance:client_rights", args=[person.client_id])).status_code == 404


def test_r3_grievances_go_to_the_agencys_named_contact_without_pii(tenancy, signed_in, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    from compliance.models import Grievance
    from hmis.models import Notification

    director = signed_in(tenancy.director_a)
    director.post(reverse("my_agency_edit"), {"privacy_notice_url": "https://a.example.org/privacy",
                                              "grievance_contact_name": "Rosa Díaz", "grievance_contact_phone": "555-0100",
                                              "grievance_contact_email": "grievances@a.example.org"})
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    worker = signed_in(tenancy.worker_a)
    page = worker.get(reverse("compliance:client_rights", args=[person.client_id]))
    assert "Rosa Díaz, 555-0100" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        worker.post(reverse("compliance:client_rights", args=[person.client_id]), {
            "action": "grievance", "grievance-received_on": date.today().isoformat(),
            "grievance-description": "Staff shared my story"})
    grievance = Grievance.objects.get()
    assert grievance.routed_to.startswith("Rosa Díaz") and grievance.agency == tenancy.agency_a
    sent = [m for m in mailoutbox if "grievances@a.example.org" in m.to]
    assert sent and person.display_id in sent[0].subject
    alert = Notification.objects.get(recipient=tenancy.director_a, subject__contains="Grievance")
    for message in [sent[0].subject + sent[0].body, alert.subject + alert.body]:
        assert "Okonkwo" not in message and "Ada" not in message
    director.post(reverse("oversight:agency_compliance"), {"action": "grievance", "grievance": grievance.pk,
                                                           "response": "Apologised; staff retrained"})
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.RESOLVED


def test_d6_a_correction_request_is_logged_due_and_closed_after_the_correction(tenancy, signed_in):
    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    worker = signed_in(tenancy.worker_a)
    url = reverse("compliance:client_rights", args=[person.client_id])
    response = worker.post(url, {"action": "request", "kind": "correction", "received_on": date.today().isoformat(),
                                 "language": "en"})
    assert b"Write down what the client says is wrong" in response.content
    worker.post(url, {"action": "request", "kind": "correction", "received_on": date.today().isoformat(),
                      "language": "en", "details": "Birth year is 1981"})
    request = ClientRightsRequest.objects.get()
    assert request.kind == "correction" and request.due_on > date.today()
    printout = worker.get(reverse("compliance:client_rights_printout", args=[person.client_id, request.pk]))
    assert printout.status_code == 404  # nothing to print for a correction
    worker.post(url, {"action": "close", "request": request.pk, "outcome": "Date of birth corrected"})
    request.refresh_from_db()
    assert request.fulfilled_at and request.outcome == "Date of birth corrected"


def test_r1_c12_the_copy_holds_the_case_notes_the_producing_agency_may_see(tenancy, signed_in):
    """Issue 21: the client's copy carries their case notes; one written by an agency whose
    consent does not share with the producing agency stays out (C12)."""
    from clients.notes import note_add
    from tests.clients.states import license_of, serve_too

    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    note_add(actor=tenancy.worker_a, license=license_of(tenancy.worker_a, tenancy.agency_a), client=person,
             text="Talked about the housing voucher", note_date=date.today())
    serve_too(tenancy.worker_b, person, project=tenancy.housing_b, sharing="limited")
    note_add(actor=tenancy.worker_b, license=license_of(tenancy.worker_b, tenancy.agency_b), client=person,
             text="Agency B private note", note_date=date.today())
    worker = signed_in(tenancy.worker_a)
    worker.post(reverse("compliance:client_rights", args=[person.client_id]),
                {"kind": "copy", "received_on": date.today().isoformat(), "language": "en"})
    request = ClientRightsRequest.objects.get()
    text = pdf_text(worker.get(reverse("compliance:client_rights_printout", args=[person.client_id, request.pk])))
    assert "Case notes" in text and "Talked about the housing voucher" in text
    assert "Agency B private note" not in text


def test_r4_every_printout_label_exists_in_english_and_spanish():
    from compliance.client_rights import TEXT

    assert set(TEXT["en"]) == set(TEXT["es"])
    assert all(TEXT[lang][key].strip() for lang in TEXT for key in TEXT[lang])
