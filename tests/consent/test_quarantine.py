"""E5: an upload stored while no virus scanner is configured is quarantined: nobody can
open it until ``scan_documents`` (or its Celery task) finds it clean; an infected one is
deleted. ``check --deploy`` warns when no scanner is set."""

import io

import pytest
from django.core.checks import run_checks
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from consent import documents
from consent.models import RoiDocument
from hmis.models import AuditEntry, Notification
from tests.clients.states import make_client
from tests.clients.test_record import FakeClamd

pytestmark = pytest.mark.django_db
EICAR = b"%PDF-1.4 X5O!P%@AP EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


@pytest.fixture
def no_scanner(settings):
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = "", ""
    return settings


def stored_document(tenancy, data: bytes, *, first="Ada", ssn="123456789") -> RoiDocument:
    """A document on the client's ROI, stored as check_upload stores it with no scanner."""
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first=first, ssn=ssn)
    _, kind, digest, scan = documents.check_upload(SimpleUploadedFile("scan.pdf", data))
    document = RoiDocument(content_type=kind, size=len(data), sha256=digest, scan_result=scan,
                           uploaded_by=tenancy.worker_a)
    document.file.save("ignored.bin", ContentFile(data), save=False)
    document.save()
    roi = client.rois.get()
    roi.document = document
    roi.save(update_fields=["document"])
    return document


def test_e5_an_upload_with_no_scanner_is_quarantined_and_cannot_be_downloaded(tenancy, signed_in, no_scanner):
    document = stored_document(tenancy, b"%PDF-1.4 a clean scan")
    assert document.scan_result == "not_scanned" and not documents.downloadable(document)
    url = reverse("consent:document_download", args=[document.uuid])
    for person in (tenancy.worker_a, tenancy.admin):
        response = signed_in(person).get(url)
        assert response.status_code == 409 and "Content-Disposition" not in response
        assert "awaits a virus scan" in response.content.decode()
    assert not AuditEntry.objects.filter(access_kind="download").exists()  # nothing was opened
    # the permission check still comes first: another agency learns nothing
    assert signed_in(tenancy.worker_b).get(url).status_code == 404
    # the client's page says why there is no link yet
    client = document.roi.clients.get()
    page = signed_in(tenancy.worker_a).get(reverse("clients:detail", args=[client.client_id])).content.decode()
    assert 'data-testid="awaiting-scan"' in page and url not in page


def test_e5_scan_documents_releases_clean_files_and_deletes_infected_ones(tenancy, signed_in, no_scanner, settings,
                                                                          tmp_path):
    clean = stored_document(tenancy, b"%PDF-1.4 a clean scan")
    infected = stored_document(tenancy, EICAR, first="Bea", ssn="123456780")
    infected_path = infected.file.path
    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET = path
    out = io.StringIO()
    call_command("scan_documents", stdout=out)
    assert "Clean: 1. Infected and deleted: 1." in out.getvalue()
    clean.refresh_from_db()
    infected.refresh_from_db()
    assert clean.scan_result == "clean" and documents.downloadable(clean)
    assert infected.scan_result == "infected" and not infected.file and not documents.downloadable(infected)
    import os

    assert not os.path.exists(infected_path)
    worker = signed_in(tenancy.worker_a)
    response = worker.get(reverse("consent:document_download", args=[clean.uuid]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    page = worker.get(reverse("consent:document_download", args=[infected.uuid]))
    assert page.status_code == 409 and "found a virus" in page.content.decode()
    told = Notification.objects.get(recipient=tenancy.admin, dedupe_key=f"document-infected:{infected.pk}")
    assert str(infected.uuid) in told.body and "Bea" not in told.body + told.subject  # no PII (E1)
    # the periodic task runs the same scan; a second run finds nothing left to do
    from consent.tasks import scan_quarantined_documents

    assert scan_quarantined_documents() == {"scanner": True, "clean": 0, "infected": 0, "missing": 0, "left": 0,
                                            "unreachable": False}


def test_e5_scan_documents_without_a_reachable_scanner_keeps_the_quarantine(tenancy, no_scanner, settings, tmp_path):
    document = stored_document(tenancy, b"%PDF-1.4 a clean scan")
    with pytest.raises(CommandError, match=r"No virus scanner is configured .*: 1 documents stay quarantined"):
        call_command("scan_documents", stdout=io.StringIO())
    settings.CLAMAV_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(CommandError, match="could not be reached: 1 documents stay quarantined"):
        call_command("scan_documents", stdout=io.StringIO())
    document.refresh_from_db()
    assert document.scan_result == "not_scanned" and not documents.downloadable(document)


def test_e5_check_deploy_warns_when_no_virus_scanner_is_set(no_scanner, settings):
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "consent.W001" in ids
    assert "consent.W001" not in [m.id for m in run_checks()]  # a deploy check only
    settings.CLAMAV_HOST = "clamav"
    assert "consent.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]
