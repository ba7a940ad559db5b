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
