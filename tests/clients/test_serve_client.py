"""Issue 21, duplicates: "Serve this client" carries the client into the intake (consent
first, C1), linking is the primary action, creating anyway needs a reason (D5), and what
was typed in the search is not lost. Only the HMIS Client ID travels (E1)."""

import pytest
from django.urls import reverse

from clients.forms import typed_name
from clients.models import Client
from clients.views import SESSION_START
from consent.models import Roi
from hmis.models import AuditEntry

from .helpers import CLIENT, consent_step, full_intake

pytestmark = pytest.mark.django_db


def _served_by_b(worker_b, tenancy, client):
    """worker_b: Serve this client -> consent -> the client step."""
    start = worker_b.post(reverse("clients:intake_start"), {"client_id": client.client_id})
    assert start.status_code == 302 and start.url == reverse("clients:intake_consent") + "?from=start"
    assert not Roi.objects.filter(agency=tenancy.agency_b).exists()  # C1: nothing yet
    consent_page = worker_b.get(start.url).content.decode()
    response = consent_step(worker_b, project=tenancy.housing_b, taken_by=tenancy.worker_b)
    assert response.status_code == 302, response.content.decode()[:2000]
    roi = Roi.objects.get(agency=tenancy.agency_b)
    return consent_page, roi, worker_b.get(response.url).content.decode()


def test_d5_serve_this_client_from_a_search_result_links_them_after_consent(tenancy, signed_in):
    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    results = worker_b.post(reverse("clients:search"), {"text": "Marisol Quintero"}).content.decode()
    assert "Serve this client" in results
    assert f'name="client_id" value="{marisol.client_id}"' in results

    consent_page, roi, client_step = _served_by_b(worker_b, tenancy, marisol)
    assert f"Serving client {marisol.display_id}" in consent_page and "step 1 of 2: consent" in consent_page
    # The client step offers the link as its one primary action; no form to type the name again.
    assert f"Serving client {marisol.display_id}" in client_step and "Marisol Quintero" in client_step
    assert f'class="usa-button">Link {marisol.display_id}</button>' in client_step
    assert 'name="first_name"' not in client_step

    linked = worker_b.post(reverse("clients:intake_client", args=[roi.pk]),
                           {"action": "link", "client_id": marisol.client_id})
    assert linked.status_code == 302
    assert list(roi.clients.all()) == [marisol]
    finish = worker_b.post(reverse("clients:intake_finish", args=[roi.pk]))
    assert finish.url == reverse("clients:detail", args=[marisol.client_id])
    assert Client.objects.count() == 1
    page = worker_b.get(finish.url).content.decode()
    assert "Your agency serves this client" in page


def test_d5_serve_this_client_from_the_client_page_carries_the_client_too(tenancy, signed_in):
    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    page = worker_b.get(reverse("clients:detail", args=[marisol.client_id])).content.decode()
    assert f'action="{reverse("clients:intake_start")}"' in page
    _, roi, client_step = _served_by_b(worker_b, tenancy, marisol)
    assert f"Link {marisol.display_id}" in client_step


def test_c2_serving_a_limited_sharing_client_shows_basic_identifiers_only(tenancy, signed_in):
    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, sharing="limited", project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    consent_page, roi, client_step = _served_by_b(worker_b, tenancy, marisol)
    for page in (consent_page, client_step):
        assert "Marisol Quintero" in page and "04/12/1988" in page and "SSN ending 9999" in page
        assert "219-09-9999" not in page and "Hispanic" not in page
    assert "basic identifiers only" in client_step


def test_c12_serve_refuses_a_client_the_viewer_may_not_see(tenancy, signed_in):
    locked = full_intake(signed_in(tenancy.worker_c), tenancy.worker_c, sharing="none", project=tenancy.shelter_c)
    assert locked.locked_to_agency == tenancy.agency_c
    worker_b = signed_in(tenancy.worker_b)
    assert worker_b.post(reverse("clients:intake_start"), {"client_id": locked.client_id}).status_code == 404
    assert worker_b.post(reverse("clients:intake_start"), {"client_id": "ZZZZZZZZ"}).status_code == 404
    assert SESSION_START not in worker_b.session
    # A GET cannot start one (no write, nothing in a URL).
    assert worker_b.get(reverse("clients:intake_start")).status_code == 405


def test_a_blank_intake_does_not_carry_an_abandoned_serve(tenancy, signed_in):
    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    worker_b.post(reverse("clients:intake_start"), {"client_id": marisol.client_id})
    blank = worker_b.get(reverse("clients:intake_consent")).content.decode()
    assert "Serving client" not in blank
    response = consent_step(worker_b, project=tenancy.housing_b, taken_by=tenancy.worker_b)
    assert 'name="first_name"' in worker_b.get(response.url).content.decode()


def test_d5_not_this_person_returns_to_the_blank_client_form(tenancy, signed_in):
    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    _, roi, _ = _served_by_b(worker_b, tenancy, marisol)
    response = worker_b.post(reverse("clients:intake_client", args=[roi.pk]), {"action": "not_this_client"})
    page = worker_b.get(response.url).content.decode()
    assert "Serving client" not in page and 'name="first_name"' in page
    assert not roi.clients.exists()


def test_d5_link_is_primary_and_creating_anyway_needs_a_reason_kept_on_the_audit_entry(tenancy, signed_in):
    marisol = full_intake(signed_in(tenancy.worker_a), tenancy.worker_a, project=tenancy.shelter_a)
    worker_b = signed_in(tenancy.worker_b)
    consent_step(worker_b, project=tenancy.housing_b, taken_by=tenancy.worker_b)
    roi = Roi.objects.get(agency=tenancy.agency_b)
    url = reverse("clients:intake_client", args=[roi.pk])
    page = worker_b.post(url, {**CLIENT, "action": "check"}).content.decode()
    assert f'class="usa-button margin-left-1">Link {marisol.display_id}</button>' in page
    assert 'class="usa-button usa-button--outline">None of these: create a new client anyway</button>' in page
    assert "Why is this a different person?" in page

    refused = worker_b.post(url, {**CLIENT, "action": "create", "checked": "1", "duplicate_reason": "   "})
    assert refused.status_code == 200 and Client.objects.count() == 1
    text = refused.content.decode()
    assert "Say why this is a different person" in text and 'value="Marisol"' in text  # nothing typed is lost

    created = worker_b.post(url, {**CLIENT, "action": "create", "checked": "1",
                                  "duplicate_reason": "Different mother's record, confirmed with ID"})
    assert created.status_code == 302 and Client.objects.count() == 2
    new = Client.objects.latest("pk")
    entry = AuditEntry.objects.get_for_object(new).get(action=AuditEntry.Action.CREATE)
    assert entry.additional_data["reason"] == "Different mother's record, confirmed with ID"
    assert entry.additional_data["created_despite_matches"] == [marisol.client_id]
    assert "Marisol" not in str(entry.additional_data)


def test_d5_names_typed_in_the_search_prefill_the_new_client_form(tenancy, signed_in):
    worker = signed_in(tenancy.worker_a)
    results = worker.post(reverse("clients:search"), {"text": "Quintana, Ximena", "dob": "1990-01-02"}).content.decode()
    assert "Start an intake with what you typed" in results
    start = worker.post(reverse("clients:intake_start"), {"text": "Quintana, Ximena", "dob": "1990-01-02"})
    assert "Ximena" not in start.url and "Quintana" not in start.url  # E1
    assert "Ximena" not in str(worker.session[SESSION_START])  # encrypted while it waits
    response = consent_step(worker, project=tenancy.shelter_a, taken_by=tenancy.worker_a)
    assert "Ximena" not in response.url
    page = worker.get(response.url).content.decode()
    assert 'value="Ximena"' in page and 'value="Quintana"' in page and 'value="1990-01-02"' in page


def test_typed_name_reads_first_and_last_names_but_not_a_client_id():
    assert typed_name("Smith") == {"last_name": "Smith"}
    assert typed_name("  John   Paul Smith ") == {"first_name": "John", "last_name": "Paul Smith"}
    assert typed_name("Smith, John") == {"first_name": "John", "last_name": "Smith"}
    assert typed_name("ABCD-2345") == {}
    assert typed_name("") == {}
