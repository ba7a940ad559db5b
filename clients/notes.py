"""Writes of case notes and client files (issue 21).

A note or file is client data like any other record: only a full-access license at a
non-VSP agency writes it (A6, T3), only for a date an active consent of that agency
covers (C6), and it keeps that consent so it is shared by it and nothing wider (C12).
Notes are append-only (D6): a correction is a new note marked inaccurate or incomplete
that points at the one it corrects. Files are checked by content and size and held in
quarantine until the virus scanner finds them clean (E5), stored under a random name
(E1); the name the person's file had is only shown.
"""

import hashlib
import os

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction

from consent import services as consent_services
from consent.documents import MAX_BYTES, clamav_scan, scanner_configured, sniff_content_type
from hmis import dates
from hmis.errors import PolicyError

from .models import CaseNote, ClientFile
from .validation import control_character_problem

MAX_NOTE_CHARS = 10_000


def _require_data_entry(license) -> None:
    if license is None or license.agency.is_victim_service_provider:
        raise PolicyError("Victim service providers do not enter client data into the HMIS (VAWA).", rule="A6")
    if not license.can_enter_data:
        raise PolicyError("Your license does not allow entering client data.", rule="T3")


def _check_stay(license, client, enrollment) -> None:
    if enrollment is None:
        return
    if enrollment.client_id != client.pk or enrollment.agency_id != license.agency_id:
        raise PolicyError("Choose one of your agency's stays of this client.", field="enrollment")


def _covering_consent(*, client, license, day, enrollment, field: str):
    """C6: the agency's consent covering ``day`` (None for an approved gap), or a refusal
    on the form's date field."""
    try:
        return consent_services.ensure_entry_allowed(
            client=client, agency=license.agency, day=day, project=enrollment.project if enrollment else None)
    except PolicyError as refusal:
        raise PolicyError(refusal.messages[0], rule="C6", field=field) from None


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise PolicyError("Write the note.", field="text")
    if len(text) > MAX_NOTE_CHARS:
        raise PolicyError(f"At most {MAX_NOTE_CHARS:,} characters (this has {len(text):,}).", field="text")
    if "\x00" in text:
        raise PolicyError("The note contains a NUL character; type plain text.", field="text")
    return text


def _name_the_client(entry_of, client) -> None:
    """The audit entry of the new record names the client (R2: it is on their audit printout)."""
    from hmis.models import AuditEntry

    AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(entry_of)),
                              object_pk=str(entry_of.pk), client_ref="").update(client_ref=client.client_id)


@transaction.atomic
def note_add(*, actor, license, client, text: str, note_date, enrollment=None) -> CaseNote:
    _require_data_entry(license)
    _check_stay(license, client, enrollment)
    text = _clean_text(text)
    if note_date is None:
        raise PolicyError("Enter the date of the contact.", field="note_date")
    if note_date > dates.today():
        raise PolicyError("The date of the contact cannot be in the future.", rule="D1", field="note_date")
    consent = _covering_consent(client=client, license=license, day=note_date, enrollment=enrollment,
                                field="note_date")
    note = CaseNote.objects.create(client=client, enrollment=enrollment, agency=license.agency, author=actor,
                                   consent=consent, note_date=note_date, text=text)
    _name_the_client(note, client)
    return note


@transaction.atomic
def note_correct(*, actor, license, note: CaseNote, text: str, kind: str) -> CaseNote:
    """D6: the note is marked inaccurate or incomplete and supplemented by a new one; the
    original stays as it was. Only the agency that wrote it corrects it."""
    _require_data_entry(license)
    if note.agency_id != license.agency_id:
        raise PolicyError("Only the agency that wrote a note corrects it.", rule="D6")
    if note.corrects_id is not None:
        note = note.corrects  # a correction of a correction supplements the original
    if kind not in CaseNote.Kind.values:
        raise PolicyError("Choose whether the note was inaccurate or incomplete.", field="kind")
    text = _clean_text(text)
    day = dates.today()
    consent = _covering_consent(client=note.client, license=license, day=day, enrollment=note.enrollment,
                                field="text")
    correction = CaseNote.objects.create(
        client=note.client, enrollment=note.enrollment, agency=license.agency, author=actor, consent=consent,
        note_date=day, text=text, corrects=note, correction_kind=kind)
    _name_the_client(correction, note.client)
    return correction


# --- Files (E5) --------------------------------------------------------------------------
def display_name_of(upload) -> str:
    """The name the person's file had, for the page only: its last path part, no control
    characters, at most 200 characters."""
    name = os.path.basename((upload.name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if not control_character_problem(ch)).strip()
    return (name or "file")[:200]


def check_file(upload) -> tuple[bytes, str, str, str]:
    """E5: type by content (PDF, PNG, JPEG, TIFF; not the name or the browser's claim),
    at most 10 MB, and a virus scan when a scanner is configured (else quarantine).
    Returns (data, content type, sha256, scan result)."""
    if upload is None:
        raise PolicyError("Choose a file to upload.", field="upload")
    if upload.size > MAX_BYTES:
        raise PolicyError("The file is larger than 10 MB. Scan it at a lower resolution or split it.",
                          rule="E5", field="upload")
    data = upload.read()
    if not data:
        raise PolicyError("The file is empty.", rule="E5", field="upload")
    kind = sniff_content_type(data[:16])
    if kind is None:
        raise PolicyError("That file is not a PDF, PNG, JPEG or TIFF image (checked by its content, not its name). "
                          "Save or scan it as one of those.", rule="E5", field="upload")
    scan = ClientFile.ScanResult.NOT_SCANNED
    if scanner_configured():
        try:
            virus = clamav_scan(data)
        except OSError:
            raise PolicyError("The virus scanner cannot be reached, so the file was not stored. Try again later.",
                              rule="E5", field="upload") from None
        if virus:
            raise PolicyError(f"The virus scanner found {virus} in that file. It was not stored.",
                              rule="E5", field="upload")
        scan = ClientFile.ScanResult.CLEAN
    return data, kind, hashlib.sha256(data).hexdigest(), scan


@transaction.atomic
def file_upload(*, actor, license, client, upload, description: str = "", enrollment=None) -> ClientFile:
    _require_data_entry(license)
    _check_stay(license, client, enrollment)
    description = (description or "").strip()
    problem = control_character_problem(description)
    if problem:
        raise PolicyError(problem, field="description")
    if len(description) > 200:
        raise PolicyError(f"At most 200 characters (this has {len(description)}).", field="description")
    consent = _covering_consent(client=client, license=license, day=dates.today(), enrollment=enrollment,
                                field="upload")
    data, kind, digest, scan = check_file(upload)
    record = ClientFile(client=client, enrollment=enrollment, agency=license.agency, uploaded_by=actor,
                        consent=consent, display_name=display_name_of(upload), description=description,
                        content_type=kind, size=len(data), sha256=digest, scan_result=scan)
    record.file.save("ignored.bin", ContentFile(data), save=False)  # stored as client-files/<uuid>.bin
    record.save()
    _name_the_client(record, client)
    return record


def downloadable(record: ClientFile) -> bool:
    """E5: only a file the virus scanner found clean is opened."""
    return record.scan_result == ClientFile.ScanResult.CLEAN


def scan_quarantined_files(*, limit: int | None = None) -> dict:
    """E5: scan the client files held in quarantine when a scanner is configured: clean
    ones become downloadable, an infected one is deleted from storage and marked, and the
    HMIS Lead is told by file ID only (E1). Re-runnable; run with consent/documents.py's
    scan_quarantined by the Celery task and manage.py scan_documents."""
    from consent.documents import scan_queue

    return scan_queue(
        ClientFile.objects.filter(scan_result=ClientFile.ScanResult.NOT_SCANNED), limit=limit,
        infected_subject="A quarantined client file held a virus and was deleted",
        infected_body=lambda record, virus: (
            f"Client file {record.uuid}: the virus scanner found {virus}. Ask the agency to upload the document again."),
        dedupe_prefix="client-file-infected")
