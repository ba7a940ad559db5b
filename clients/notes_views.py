"""Case notes and files on a client and on a stay (issue 21). Thin: selectors read what
consent/visibility.py allows, clients/notes.py writes, hmis/access.py says who may."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from consent.visibility import Viewer
from hmis.access import CLIENT_DATA, DATA_ENTRY, access, corrects_case_note, writes_case_notes
from hmis.viewkit import run_service

from . import notes, notes_selectors, selectors
from .notes_forms import FileForm, NoteCorrectionForm, NoteForm


def _writable_client(request, client_id):
    viewer = Viewer.from_request(request)
    client, client_access = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    if not writes_case_notes(request, client_access):
        raise Http404("No such client, or not one your agency serves.")
    return viewer, client


def _back(client, form, record):
    if form.cleaned_data.get("return_to") == "stay" and record.enrollment_id:
        return redirect("enrollments:detail", record.enrollment.enrollment_id)
    return redirect("clients:detail", client.client_id)


def _initial(request, stays):
    """The stay the page was opened from (?stay=<enrollment ID>), when it is one of the agency's."""
    chosen = stays.filter(enrollment_id=request.GET.get("stay", "")).first()
    return {"enrollment": chosen, "return_to": "stay"} if chosen else {}


@access(DATA_ENTRY)
def note_add(request, client_id):
    viewer, client = _writable_client(request, client_id)
    stays = notes_selectors.stays_for_notes(viewer=viewer, client=client)
    form = NoteForm(request.POST or None, stays=stays, prefix="note", initial=_initial(request, stays))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        note = run_service(form, notes.note_add, actor=request.user, license=request.license, client=client,
                           text=data["text"], note_date=data["note_date"], enrollment=data["enrollment"])
        if note:
            messages.success(request, "The note was added.")
            return _back(client, form, note)
    return render(request, "clients/note_form.html", {
        "client": client, "form": form, "title": f"Add a note for client {client.display_id}", "submit": "Add note"})


@access(DATA_ENTRY)
def file_upload(request, client_id):
    viewer, client = _writable_client(request, client_id)
    stays = notes_selectors.stays_for_notes(viewer=viewer, client=client)
    form = FileForm(request.POST or None, request.FILES or None, stays=stays, prefix="file",
                    initial=_initial(request, stays))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = run_service(form, notes.file_upload, actor=request.user, license=request.license, client=client,
                             upload=data["upload"], description=data["description"], enrollment=data["enrollment"])
        if record:
            if notes.downloadable(record):
                messages.success(request, "The file was uploaded and the virus scan found it clean.")
            else:
                messages.success(request, "The file was uploaded. It can be opened once the virus scan finds it clean.")
            return _back(client, form, record)
    return render(request, "clients/note_form.html", {
        "client": client, "form": form, "multipart": True, "submit": "Upload file",
        "title": f"Upload a file for client {client.display_id}",
        "intro": "A file you chose is not kept when the page shows a problem: choose it again."})


@access(DATA_ENTRY)
def note_correct(request, client_id, pk):
    viewer = Viewer.from_request(request)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    note = notes_selectors.note_for_viewer(viewer=viewer, client=client, pk=pk)
    if not corrects_case_note(request, note):
        raise Http404("No such note, or not one you may correct.")
    form = NoteCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, notes.note_correct, actor=request.user, license=request.license, note=note,
                       text=form.cleaned_data["text"], kind=form.cleaned_data["kind"]):
            messages.success(request, "The correction was added; the original note stays on file.")
            if note.enrollment_id and request.GET.get("from") == "stay":
                return redirect("enrollments:detail", note.enrollment.enrollment_id)
            return redirect("clients:detail", client.client_id)
    return render(request, "clients/note_form.html", {
        "client": client, "form": form, "note": note, "submit": "Add correction",
        "title": f"Correct a note of client {client.display_id}",
        "intro": "Notes are never overwritten (D6): say what was inaccurate or incomplete; both stay on file."})


@access(CLIENT_DATA)
def file_download(request, client_id, uuid):
    """E5, C12: opened only by those the file is shared with, only once scanned clean, and logged."""
    viewer = Viewer.from_request(request)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=None)
    record = notes_selectors.file_for_download(viewer=viewer, client=client, uuid=uuid)
    if not notes.downloadable(record):
        return render(request, "clients/file_quarantined.html", {"client": client, "record": record}, status=409)
    notes_selectors.log_download(viewer=viewer, record=record, client=client)
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.download_name,
                        content_type=record.content_type)
