"""Case notes and files on a client and on a stay (issue 21), through the pages a case
worker uses: shared by the consent that covered them (C12), lockable under "Documents
and notes" (C10), files quarantined until scanned (E5), append-only corrections (D6),
every showing and download on the client's audit (R2), and an attacker's tries."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from clients.models import CaseNote, ClientFile
from consent import services as consent_services
from consent.visibility import Viewer, note_visible, visible_notes
from hmis.models import AuditEntry
from tests.clients.states import approve_lock, build_states, enroll, license_of, make_client
from tests.clients.test_record import FakeClamd

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 a scanned income letter"


@pytest.fixture
def no_scanner(settings):
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = "", ""
    return settings


def page(http, client):
    return http.get(reverse("clients:detail", args=[client.client_id])).content.decode()


def add_note(http, client, text="Met at the day center; wants help with an ID.", *, stay=None, day=None, **extra):
    data = {"note-note_date": (day or date.today()).isoformat(), "note-text": text,
            "note-enrollment": stay.pk if stay else "", "note-return_to": "stay" if stay else "client", **extra}
    return http.post(reverse("clients:note_add", args=[client.client_id]), data)


def upload(http, client, data=PDF, name="Ada Okonkwo income letter.pdf", *, stay=None, description="Income letter"):
    return http.post(reverse("clients:file_upload", args=[client.client_id]), {
        "file-upload": SimpleUploadedFile(name, data, content_type="application/pdf"),
        "file-description": description, "file-enrollment": stay.pk if stay else "", "file-return_to": "client"})


@pytest.fixture
def ada(tenancy):
    """A client Agency A serves under a full consent, with a stay in A's shelter."""
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    client.stay = enroll(tenancy.worker_a, client, tenancy.shelter_a)
    return client


# --- Writing -------------------------------------------------------------------------------
def test_c12_a_note_and_a_file_are_recorded_with_the_agency_author_and_covering_consent(tenancy, signed_in, ada,
                                                                                      no_scanner):
    worker = signed_in(tenancy.worker_a)
    response = add_note(worker, ada, stay=ada.stay)
    assert response.status_code == 302 and response["Location"] == reverse("enrollments:detail",
                                                                           args=[ada.stay.enrollment_id])
    note = CaseNote.objects.get()
    assert (note.agency, note.author, note.enrollment, note.consent) == (
        tenancy.agency_a, tenancy.worker_a, ada.stay, ada.rois.get())
    assert upload(worker, ada).status_code == 302
    record = ClientFile.objects.get()
    assert record.consent == ada.rois.get() and record.display_name == "Ada Okonkwo income letter.pdf"
    # E1: the stored name never carries the uploaded (PII-bearing) name
    assert record.file.name == f"client-files/{record.uuid}.bin" and "Okonkwo" not in record.file.name
    shown = page(worker, ada)
    assert "wants help with an ID" in shown and "Ada Okonkwo income letter.pdf" in shown
    assert tenancy.worker_a.display_name in shown and "Agency A" in shown
    # the stay page shows the stay's note too
    stay_page = worker.get(reverse("enrollments:detail", args=[ada.stay.enrollment_id])).content.decode()
    assert "wants help with an ID" in stay_page and 'data-testid="notes-section"' in stay_page


def test_c6_a_note_dated_outside_any_consent_is_refused_and_the_text_is_kept(tenancy, signed_in, ada):
    worker = signed_in(tenancy.worker_a)
    response = add_note(worker, ada, "Typed with care, not to be lost", day=date.today() - timedelta(days=800))
    body = response.content.decode()
    assert response.status_code == 200 and not CaseNote.objects.exists()
    assert 'data-testid="error-summary"' in body and "No active ROI of your agency covers" in body
    assert "Typed with care, not to be lost" in body
    empty = add_note(worker, ada, "   ")
    assert empty.status_code == 200 and "Write the note." in empty.content.decode()
    future = add_note(worker, ada, "Tomorrow", day=date.today() + timedelta(days=1))
    assert "cannot be in the future" in future.content.decode() and not CaseNote.objects.exists()


def test_d6_a_note_is_corrected_by_a_new_note_and_the_original_stays(tenancy, signed_in, ada):
    worker = signed_in(tenancy.worker_a)
    add_note(worker, ada, "Income $900 a month")
    note = CaseNote.objects.get()
    url = reverse("clients:note_correct", args=[ada.client_id, note.pk])
    refused = worker.post(url, {"kind": "", "text": "Income is $1,900 a month"})
    assert refused.status_code == 200 and "Income is $1,900 a month" in refused.content.decode()
    assert worker.post(url, {"kind": "inaccurate", "text": "Income is $1,900 a month"}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Income $900 a month"  # never overwritten
    correction = CaseNote.objects.get(corrects=note)
    assert correction.correction_kind == "inaccurate" and correction.agency == tenancy.agency_a
    shown = page(worker, ada)
    assert "Income $900 a month" in shown and "Income is $1,900 a month" in shown and "Marked inaccurate" in shown


# --- Sharing (C12), locks (C10), protected projects (A7) -----------------------------------
def test_c12_another_agency_sees_a_note_under_full_consent_but_not_under_limited(tenancy, signed_in, ada):
    limited = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="limited", first="Lim", ssn="222334444")
    worker = signed_in(tenancy.worker_a)
    add_note(worker, ada, "Shared note for the full client")
    add_note(worker, limited, "Kept note for the limited client")
    other = signed_in(tenancy.worker_b)
    assert "Shared note for the full client" in page(other, ada)
    assert "Kept note for the limited client" not in page(other, limited)
    # the author's agency always sees its own
    assert "Kept note for the limited client" in page(worker, limited)


def test_c12_c9_after_revocation_only_the_authors_agency_sees_the_note(tenancy, signed_in, ada):
    worker = signed_in(tenancy.worker_a)
    add_note(worker, ada, "Before the client revoked")
    consent_services.roi_revoke(actor=tenancy.worker_a, license=license_of(tenancy.worker_a), roi=ada.rois.get(),
                                revoked_on=date.today())
    assert "Before the client revoked" in page(worker, ada)
    other = signed_in(tenancy.worker_b).get(reverse("clients:detail", args=[ada.client_id])).content.decode()
    assert "Before the client revoked" not in other


def test_c10_a_documents_and_notes_lock_keeps_notes_and_files_with_the_entering_agency(tenancy, signed_in, ada,
                                                                                      settings, tmp_path):
    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = path, ""
    worker = signed_in(tenancy.worker_a)
    add_note(worker, ada, "Fleeing: new address withheld")
    upload(worker, ada)
    record = ClientFile.objects.get()
    download = reverse("clients:file_download", args=[ada.client_id, record.uuid])
    other = signed_in(tenancy.worker_b)
    assert "Fleeing: new address withheld" in page(other, ada)
    assert other.get(download).status_code == 200  # shared before the lock
    approve_lock(tenancy, tenancy.worker_a, ada, "documents")
    assert "Fleeing: new address withheld" not in page(other, ada)
    assert "income letter" not in page(other, ada)
    assert other.get(download).status_code == 404
    note = CaseNote.objects.get()
    assert other.get(reverse("clients:note_correct", args=[ada.client_id, note.pk])).status_code == 404
    # the entering agency and the HMIS Lead still see them
    assert "Fleeing: new address withheld" in page(worker, ada)
    assert worker.get(download).status_code == 200
    assert "Fleeing: new address withheld" in page(signed_in(tenancy.admin), ada)


def test_a7_a_note_on_a_protected_stay_stays_with_its_agency(tenancy, signed_in):
    from agencies.models import License

    License.objects.get(user=tenancy.worker_b).projects.add(tenancy.protected_b)
    client = make_client(tenancy.worker_b, project=tenancy.housing_b, first="Pia", ssn="333445555")
    # an agency-wide consent of B covers both projects; the stay's project decides (A7)
    consent_services.roi_record(actor=tenancy.worker_b, license=license_of(tenancy.worker_b), sharing_level="full",
                                consent_type="signed", signed_on=date.today(), taken_by=tenancy.worker_b,
                                clients=[client])
    enroll(tenancy.worker_b, client, tenancy.housing_b)
    stay = enroll(tenancy.worker_b, client, tenancy.protected_b)
    worker = signed_in(tenancy.worker_b)
    add_note(worker, client, "Seen at the clinic", stay=stay)
    add_note(worker, client, "Housing search started")
    shown = page(signed_in(tenancy.worker_a), client)
    assert "Housing search started" in shown and "Seen at the clinic" not in shown


def test_c12_one_note_answer_and_the_sql_answer_agree_in_every_consent_state(tenancy):
    """consent/visibility.py: note_visible (one record) and visible_notes (SQL) agree for
    every viewer and every note of every consent state, on the client and on a stay."""
    from agencies.models import License
    from clients import notes
    from enrollments.models import Enrollment
    from tests.clients.states import third_agency

    states = build_states(tenancy)
    _, _, worker_d = third_agency(tenancy)
    approve_lock(tenancy, tenancy.worker_a, states.full, "documents")
    for client in vars(states).values():
        for stay in [None, *Enrollment.objects.filter(client=client)]:
            agency = stay.agency if stay else (client.locked_to_agency or client.entered_by_agency)
            user = License.objects.filter(agency=agency, access_level="full", role="end_user").first().user
            try:
                notes.note_add(actor=user, license=license_of(user, agency), client=client, text="n",
                               note_date=date.today(), enrollment=stay)
            except Exception:  # noqa: BLE001 - an expired or revoked consent refuses the note (C6)
                continue
    assert CaseNote.objects.count() >= 10
    viewers = [tenancy.worker_a, tenancy.worker_b, tenancy.viewer_b, tenancy.worker_c, worker_d, tenancy.worker_v]
    for user in viewers:
        viewer = Viewer(user, License.objects.select_related("agency").get(user=user))
        in_sql = set(visible_notes(viewer, CaseNote.objects.all()).values_list("pk", flat=True))
        one_by_one = {n.pk for n in CaseNote.objects.all() if note_visible(viewer, n)}
        assert in_sql == one_by_one, user.username
    everyone = Viewer(tenancy.admin, None)
    assert visible_notes(everyone, CaseNote.objects.all()).count() == CaseNote.objects.count()


# --- Files (E5) ----------------------------------------------------------------------------
def test_e5_a_file_is_quarantined_until_the_scan_finds_it_clean(tenancy, signed_in, ada, no_scanner, settings,
                                                               tmp_path):
    worker = signed_in(tenancy.worker_a)
    response = upload(worker, ada)
    assert response.status_code == 302
    record = ClientFile.objects.get()
    assert record.scan_result == "not_scanned"
    download = reverse("clients:file_download", args=[ada.client_id, record.uuid])
    held = worker.get(download)
    assert held.status_code == 409 and "Content-Disposition" not in held
    assert 'data-testid="file-awaiting-scan"' in page(worker, ada) and download not in page(worker, ada)
    assert not AuditEntry.objects.filter(access_kind="download").exists()
    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET = path
    call_command("scan_documents")
    record.refresh_from_db()
    assert record.scan_result == "clean"
    opened = worker.get(download)
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    disposition = opened["Content-Disposition"]
    assert f"client-{ada.client_id}-file-{record.pk}.pdf" in disposition and "Okonkwo" not in disposition  # E1


def test_e5_the_scan_deletes_an_infected_quarantined_file_and_tells_the_lead_by_id(tenancy, signed_in, ada,
                                                                                 no_scanner, settings, tmp_path):
    from consent.tasks import scan_quarantined_documents
    from hmis.models import Notification

    upload(signed_in(tenancy.worker_a), ada, b"%PDF-1.4 EICAR-STANDARD-ANTIVIRUS-TEST-FILE")
    record = ClientFile.objects.get()
    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET = path
    assert scan_quarantined_documents()["infected"] == 1
    record.refresh_from_db()
    assert record.scan_result == "infected" and not record.file
    told = Notification.objects.get(recipient=tenancy.admin, dedupe_key=f"client-file-infected:{record.pk}")
    assert str(record.uuid) in told.body and "Okonkwo" not in told.subject + told.body


def test_e5_files_are_checked_by_content_size_and_scanner(tenancy, signed_in, ada, settings, tmp_path):
    worker = signed_in(tenancy.worker_a)
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = "", ""
    fake = upload(worker, ada, b"MZ\x90\x00 an executable", name="letter.pdf", description="Kept description")
    body = fake.content.decode()
    assert fake.status_code == 200 and "not a PDF, PNG, JPEG or TIFF" in body and "Kept description" in body
    big = upload(worker, ada, b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert "larger than 10 MB" in big.content.decode()
    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET = path
    infected = upload(worker, ada, b"%PDF-1.4 EICAR-STANDARD-ANTIVIRUS-TEST-FILE")
    assert "found Eicar-Signature" in infected.content.decode()
    settings.CLAMAV_SOCKET = str(tmp_path / "nobody-listens.sock")
    unreachable = upload(worker, ada)
    assert "cannot be reached" in unreachable.content.decode()
    assert not ClientFile.objects.exists()


# --- Audit (R2) ----------------------------------------------------------------------------
def test_r2_every_showing_of_a_note_and_every_download_is_on_the_clients_audit(tenancy, signed_in, ada, settings,
                                                                              tmp_path):
    from compliance.client_rights import audit_entries

    path = str(tmp_path / "clamd.sock")
    FakeClamd(path).start()
    settings.CLAMAV_SOCKET, settings.CLAMAV_HOST = path, ""
    worker = signed_in(tenancy.worker_a)
    add_note(worker, ada)
    upload(worker, ada)
    note, record = CaseNote.objects.get(), ClientFile.objects.get()
    other = signed_in(tenancy.worker_b)
    page(other, ada)
    other.get(reverse("clients:file_download", args=[ada.client_id, record.uuid]))
    entries = list(audit_entries(ada))

    def seen(model, pk, kind, agency):
        return [e for e in entries if e.content_type == ContentType.objects.get_for_model(model)
                and e.object_pk == str(pk) and e.access_kind == kind and e.agency == agency]

    assert seen(CaseNote, note.pk, "view", tenancy.agency_b)
    assert seen(ClientFile, record.pk, "view", tenancy.agency_b)
    assert seen(ClientFile, record.pk, "download", tenancy.agency_b)
    created = [e for e in entries if e.action == AuditEntry.Action.CREATE
               and e.content_type == ContentType.objects.get_for_model(CaseNote)]
    assert created and created[0].client_ref == ada.client_id
    # no note text or client name in what the audit entry calls the record
    assert all("Okonkwo" not in e.object_repr and "day center" not in e.object_repr for e in entries)


# --- An attacker's tries -------------------------------------------------------------------
def test_attacker_guessing_note_and_file_ids_in_urls_learns_nothing(tenancy, signed_in, ada, no_scanner):
    limited = make_client(tenancy.worker_a, project=tenancy.shelter_a, sharing="limited", first="Lim", ssn="222334444")
    worker = signed_in(tenancy.worker_a)
    add_note(worker, limited, "Limited client's note")
    upload(worker, limited)
    note, record = CaseNote.objects.get(), ClientFile.objects.get()
    other = signed_in(tenancy.worker_b)
    # the right client, a note they may not see; the note under another client's ID
    assert other.get(reverse("clients:note_correct", args=[limited.client_id, note.pk])).status_code == 404
    assert worker.get(reverse("clients:note_correct", args=[ada.client_id, note.pk])).status_code == 404
    assert other.get(reverse("clients:file_download", args=[limited.client_id, record.uuid])).status_code == 404
    assert worker.get(reverse("clients:file_download", args=[ada.client_id, record.uuid])).status_code == 404
    assert other.get(reverse("clients:note_correct", args=[limited.client_id, note.pk + 999])).status_code == 404
    # another agency that does not serve the client cannot write on it, nor correct A's note
    assert add_note(other, ada, "Planted by B").status_code == 404
    assert upload(other, ada).status_code == 404
    add_note(worker, ada, "A's own note")
    a_note = CaseNote.objects.get(text="A's own note")
    response = other.post(reverse("clients:note_correct", args=[ada.client_id, a_note.pk]),
                          {"kind": "inaccurate", "text": "B rewrites A"})
    assert response.status_code == 404 and not CaseNote.objects.filter(text="B rewrites A").exists()
    # view-only, reporting-only and VSP licenses never write (T3, A6)
    for user in (tenancy.viewer_b, tenancy.reporter_b, tenancy.worker_v):
        assert add_note(signed_in(user), ada, "not allowed").status_code == 403
    assert not CaseNote.objects.filter(text__in=["Planted by B", "not allowed"]).exists()


def test_attacker_cannot_put_a_note_on_another_agencys_stay(tenancy, signed_in, ada):
    from tests.clients.states import serve_too

    serve_too(tenancy.worker_b, ada, project=tenancy.housing_b)
    response = add_note(signed_in(tenancy.worker_b), ada, "On A's stay", stay=ada.stay)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not CaseNote.objects.exists()
    # B serves the client now: its own note on the client is accepted, and A sees it (full consents)
    assert add_note(signed_in(tenancy.worker_b), ada, "Agency B own note").status_code == 302
    assert "Agency B own note" in page(signed_in(tenancy.worker_a), ada)
