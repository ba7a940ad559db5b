"""Reads of case notes and client files (issue 21): only what consent/visibility.py
lets the viewer see (C10, C12), and every showing logged for the client's audit (R2)."""

from types import SimpleNamespace

from django.http import Http404

from consent.visibility import ClientAccess, Viewer, note_visible, visible_notes
from hmis.audit import log_access, log_shown
from hmis.models import AuditEntry

from .models import CaseNote, ClientFile
from .notes import downloadable


def _log_shown(records, model, *, viewer: Viewer, client, note: str) -> None:
    """One VIEW entry per note or file shown, naming the client (one INSERT)."""
    log_shown([SimpleNamespace(pk=r.pk, client_id=client.client_id, uuid=getattr(r, "uuid", None)) for r in records],
              model=model, kind=AuditEntry.AccessKind.VIEW, actor=viewer.user, agency=viewer.agency, note=note)


def notes_and_files(*, viewer: Viewer, client, access: ClientAccess, enrollment=None) -> dict:
    """The notes (each original with the corrections the viewer may see under it) and the
    files of the client, or of one stay, that the viewer may see."""
    if not access.full:
        return {"notes": [], "files": []}
    notes = CaseNote.objects.filter(client=client)
    files = ClientFile.objects.filter(client=client)
    if enrollment is not None:
        notes, files = notes.filter(enrollment=enrollment), files.filter(enrollment=enrollment)
    notes = list(visible_notes(viewer, notes).select_related("author", "agency", "enrollment__project"))
    files = list(visible_notes(viewer, files).select_related("uploaded_by", "agency", "enrollment__project"))
    shown = {note.pk for note in notes}
    corrections = {}
    for note in notes:
        if note.corrects_id in shown:
            corrections.setdefault(note.corrects_id, []).append(note)
    top = [note for note in notes if note.corrects_id not in shown]
    for note in top:
        note.shown_corrections = sorted(corrections.get(note.pk, []), key=lambda c: (c.created_at, c.pk))
    for record in files:
        record.downloadable = downloadable(record)
    _log_shown(notes, CaseNote, viewer=viewer, client=client, note="case notes shown")
    _log_shown(files, ClientFile, viewer=viewer, client=client, note="client files listed")
    return {"notes": top, "files": files}


def stays_for_notes(*, viewer: Viewer, client):
    """The stays a note or file of the viewer's agency may be put on: its own (issue 21)."""
    from enrollments.models import Enrollment

    return Enrollment.objects.filter(client=client, agency_id=viewer.agency_id).select_related("project").order_by(
        "-entry_date")


def note_for_viewer(*, viewer: Viewer, client, pk: int) -> CaseNote:
    """One note of this client the viewer may see, or 404 (a guessed number learns nothing)."""
    note = CaseNote.objects.select_related("agency", "author", "enrollment__project", "consent__project").filter(
        pk=pk, client=client).first()
    if note is None or not note_visible(viewer, note, client=client):
        raise Http404("No such note, or not one you may see.")
    return note


def file_for_download(*, viewer: Viewer, client, uuid) -> ClientFile:
    """One file of this client the viewer may see, or 404; the download is logged by the view."""
    record = ClientFile.objects.select_related("client", "consent__project", "enrollment__project").filter(
        uuid=uuid, client=client).first()
    if record is None or not note_visible(viewer, record, client=client):
        raise Http404("No such file, or not one you may open.")
    return record


def log_download(*, viewer: Viewer, record: ClientFile, client) -> None:
    log_access(record, kind=AuditEntry.AccessKind.DOWNLOAD, actor=viewer.user, agency=viewer.agency,
               client_ref=client.client_id)
