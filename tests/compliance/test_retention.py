"""D7: personal information out of use is de-identified after 7 years; C8: consent scans
are removed 7 years after the consent expired. The HMIS Lead approves a dry run first."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from agencies.models import License
from clients import services as client_services
from clients.models import Client, Correction
from compliance import tasks
from compliance.models import RetentionRun
from consent.models import RoiDocument
from hmis.models import AuditEntry
from tests.clients.states import make_client

pytestmark = pytest.mark.django_db
EIGHT_YEARS_AGO = timezone.now() - timedelta(days=365 * 8)


def age(client):
    """Make the record look created and last changed 8 years ago."""
    Client.objects.filter(pk=client.pk).update(created_at=EIGHT_YEARS_AGO, updated_at=EIGHT_YEARS_AGO)


def document(tenancy, retain_until):
    doc = RoiDocument(content_type="application/pdf", size=4, sha256="0" * 64, scan_result="clean",
                      uploaded_by=tenancy.worker_a, retain_until=retain_until)
    doc.file.save(f"{doc.uuid}.bin", ContentFile(b"%PDF"), save=False)
    doc.save()
    return doc


def test_d7_c8_dry_run_first_then_approved_runs_deidentify_and_remove(tenancy, signed_in):
    old = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Olga", last="Oldfield", ssn="345678901")
    client_services.client_correct(actor=tenancy.worker_a, license=License.objects.get(user=tenancy.worker_a),
                                   client=old, kind="inaccurate", note="typo", last_name="Oldfeld")
    old.refresh_from_db()
    old.black_af_american, old.veteran_status = True, 1
    Client.objects.filter(pk=old.pk).update(black_af_american=True, veteran_status=1)
    age(old)
    recent = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Rita", last="Recent", ssn="456789012")
    expired_scan = document(tenancy, date.today() - timedelta(days=1))
    kept_scan = document(tenancy, date.today() + timedelta(days=365))

    # the scheduled job does nothing before the Lead approved a dry run
    assert tasks.daily_retention() == {"waiting_for_approval": True}
    assert Client.objects.get(pk=old.pk).last_name == "Oldfeld"

    admin = signed_in(tenancy.admin)
    admin.post(reverse("oversight:retention"), {"action": "dry_run"})
    dry = RetentionRun.objects.get()
    assert dry.client_ids == [old.client_id] and dry.document_ids == [str(expired_scan.uuid)]
    page = admin.get(reverse("oversight:retention")).content.decode()
    assert old.client_id in page and "Oldfeld" not in page
    assert Client.objects.get(pk=old.pk).last_name == "Oldfeld"  # a dry run changes nothing

    admin.post(reverse("oversight:retention"), {"action": "approve", "run": dry.pk})
    assert tasks.daily_retention() == {"clients": 1, "documents": 1}

    old = Client.objects.get(pk=old.pk)
    assert (old.first_name, old.last_name, old.dob, old.ssn_encrypted, old.ssn_hash) == ("", "", None, "", "")
    assert old.deidentified_at and old.black_af_american and old.veteran_status == 1  # HUD data stays
    assert Client.objects.get(pk=recent.pk).last_name == "Recent"
    assert set(Correction.objects.filter(client=old).values_list("previous_value", "new_value")) == {
        ("[de-identified]", "[de-identified]")}
    every_change = " ".join(str(c) for c in AuditEntry.objects.filter(object_pk=str(old.pk)).values_list("changes", flat=True))
    assert "Oldf" not in every_change and "Olga" not in every_change
    expired_scan.refresh_from_db()
    kept_scan.refresh_from_db()
    assert expired_scan.removed_at and not expired_scan.file
    assert kept_scan.removed_at is None and kept_scan.file.storage.exists(kept_scan.file.name)


def test_d7_a_household_with_an_open_stay_is_in_use_and_kept(tenancy, signed_in):
    from compliance.retention import clients_due
    from tests.enrollments.test_stays import enroll, household_of_three

    people = household_of_three(tenancy)
    enroll(signed_in(tenancy.worker_a), people, entry_date=date.today(), project=tenancy.shelter_a)
    for person in people:
        age(person)
    assert not clients_due(date.today()).exists()  # the stay is open


def test_d7_case_notes_and_files_are_scrubbed_with_the_client_and_recent_ones_keep_it_in_use(tenancy, signed_in):
    """Issue 21: a note's text and a file (its content, name and description) can name the
    client: de-identification removes them and their change-log values; a note written in
    the last 7 years keeps the client in use."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from clients.models import CaseNote, ClientFile
    from clients.notes import file_upload, note_add
    from compliance.retention import _deidentify, clients_due

    license = License.objects.get(user=tenancy.worker_a)
    old = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Olga", last="Oldfield", ssn="345678901")
    note = note_add(actor=tenancy.worker_a, license=license, client=old, text="Olga Oldfield asked about her sister",
                    note_date=date.today())
    upload = SimpleUploadedFile("olga-oldfield-lease.pdf", b"%PDF-1.4 lease", content_type="application/pdf")
    record = file_upload(actor=tenancy.worker_a, license=license, client=old, upload=upload,
                         description="Oldfield lease")
    stored = record.file.name
    age(old)
    assert old not in clients_due(date.today())  # the note and file are recent: in use
    CaseNote.objects.filter(pk=note.pk).update(created_at=EIGHT_YEARS_AGO)
    ClientFile.objects.filter(pk=record.pk).update(uploaded_at=EIGHT_YEARS_AGO)
    assert list(clients_due(date.today())) == [old]

    _deidentify([old.pk])
    note.refresh_from_db()
    record.refresh_from_db()
    assert note.text == "[de-identified]"
    assert (record.display_name, record.description, record.file.name) == ("[de-identified]", "", "")
    assert not ClientFile.file.field.storage.exists(stored)
    logged = " ".join(str(c) for c in AuditEntry.objects.values_list("changes", flat=True))
    assert "Oldfield" not in logged and "Olga" not in logged
