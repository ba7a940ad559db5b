"""Issue 14 §3: searches are audited (who, when, which clients were shown), so a
client's audit printout (R2) lists the searches that showed them."""

import pytest
from django.urls import reverse

from compliance.client_rights import TEXT, audit_entries, describe
from hmis.models import AuditEntry

from .states import make_client

pytestmark = pytest.mark.django_db


def test_r2_a_search_is_logged_for_each_client_it_showed_and_printed_in_their_audit(tenancy, signed_in):
    shown = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Odalys", last="Ferreira", ssn="212334455")
    other = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Bartholomew", last="Quist", ssn="212334466")
    page = signed_in(tenancy.worker_b).post(reverse("clients:search"), {"text": "Odalys Ferreira"}).content.decode()
    assert shown.display_id in page
    logged = AuditEntry.objects.filter(access_kind=AuditEntry.AccessKind.SEARCH)
    assert list(logged.values_list("client_ref", "actor__username", "agency__name")) == [
        (shown.client_id, "worker_b", "Agency B")]
    assert not logged.filter(client_ref=other.client_id).exists()
    printed = [describe(entry, TEXT["en"]) for entry in audit_entries(shown)]
    assert "saw your name in search results" in printed
    assert "vio su nombre en resultados de búsqueda" in [describe(e, TEXT["es"]) for e in audit_entries(shown)]


def test_r2_the_duplicate_check_at_intake_is_logged_too(tenancy, signed_in):
    from consent.models import Roi

    from .helpers import CLIENT, consent_step

    existing = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Marisol", last="Echeverria",
                           ssn="212334477")
    worker = signed_in(tenancy.worker_b)
    consent_step(worker, project=tenancy.housing_b, taken_by=tenancy.worker_b)
    roi = Roi.objects.get(agency=tenancy.agency_b)
    page = worker.post(reverse("clients:intake_client", args=[roi.pk]), {
        **CLIENT, "first_name": "Marisol", "last_name": "Echeverria", "ssn": "", "ssn_data_quality": 99,
        "dob": "1980-05-17", "action": "check"}).content.decode()
    assert existing.display_id in page
    assert AuditEntry.objects.filter(access_kind="search", client_ref=existing.client_id,
                                     additional_data__note="duplicate check").exists()
