"""{% notes_section client=... %} / {% notes_section enrollment=... %}: the "Notes and files"
section of the client page and of a stay page (issue 21). The selector reads what
consent/visibility.py allows; hmis/access.py says whether the forms are offered."""

from django import template

from consent.visibility import Viewer, client_access

register = template.Library()


@register.inclusion_tag("clients/_notes_section.html", takes_context=True)
def notes_section(context, client=None, enrollment=None, access=None):
    from clients import notes_selectors
    from clients.notes_forms import FileForm, NoteForm
    from hmis.access import corrects_case_note, writes_case_notes

    request = context["request"]
    viewer = Viewer.from_request(request)
    client = enrollment.client if enrollment is not None else client
    access = access or client_access(viewer, client)  # the client page passes the answer it already has
    shown = notes_selectors.notes_and_files(viewer=viewer, client=client, access=access, enrollment=enrollment)
    for note in shown["notes"]:
        note.correctable = corrects_case_note(request, note)
    may_write = writes_case_notes(request, access, enrollment)
    forms = {}
    if may_write:
        stays = notes_selectors.stays_for_notes(viewer=viewer, client=client)
        initial = {"enrollment": enrollment, "return_to": "stay"} if enrollment is not None else {}
        forms = {"note_form": NoteForm(stays=stays, prefix="note", initial=initial),
                 "file_form": FileForm(stays=stays, prefix="file", initial=initial)}
    return {"request": request, "csrf_token": context.get("csrf_token"), "client": client, "enrollment": enrollment,
            "may_write": may_write, "on_stay": enrollment is not None, **shown, **forms}
