"""The household pages of a stay (issue 21): add a member, remove (exit) a member, change the
head of household. Thin: forms validate, enrollments/households.py writes, hmis/access.py
decides who may manage the household, consent/visibility.py who may see whom."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from clients import selectors as client_selectors
from consent.visibility import Viewer
from hmis import access as decide
from hmis.access import DATA_ENTRY, access
from hmis.models import AuditEntry
from hmis.viewkit import put_errors_on_form, run_service

from . import households, selectors, services
from .household_forms import AddMemberForm, ChangeHeadForm, MemberExitForm, MemberSearchForm


def _managed(request, enrollment_id):
    """The stay, if the person may see it (404 otherwise) and manage its household (403)."""
    viewer = Viewer.from_request(request)
    enrollment, _ = selectors.enrollment_for_viewer(viewer=viewer, enrollment_id=enrollment_id)
    if not decide.manages_household(request, enrollment):
        raise PermissionDenied("Only a person entering data for the project that serves this stay manages its "
                               "household.")
    return viewer, enrollment


def _closed(request, enrollment):
    messages.error(request, "This household's stay has ended: its members can no longer change.")
    return redirect("enrollments:detail", enrollment.enrollment_id)


@access(DATA_ENTRY)
def add_member(request, enrollment_id):
    """Search for a client the worker may see, then their relationship and start date."""
    viewer, enrollment = _managed(request, enrollment_id)
    if not households.household_is_open(enrollment):
        return _closed(request, enrollment)
    # The search is posted: a name typed never goes into a URL (DESIGN conv. 6).
    searching = request.method == "POST" and "client" not in request.POST
    search = MemberSearchForm(request.POST if searching else None)
    results = None
    if searching and search.is_valid() and search.cleaned_data["q"].strip():
        present = set(services.Enrollment.objects.filter(household_id=enrollment.household_id,
                                                         exit_date__isnull=True).values_list("client_id", flat=True))
        results = [r for r in client_selectors.search_clients(viewer=viewer, text=search.cleaned_data["q"])
                   if r.pk not in present]
        client_selectors.log_shown(results, viewer=viewer, kind=AuditEntry.AccessKind.SEARCH,
                                   note="household member search")
        if request.htmx:
            return render(request, "enrollments/_member_results.html", {"results": results, "enrollment": enrollment})
    chosen = None if searching else (request.POST.get("client") or request.GET.get("client"))
    client = form = None
    if chosen:
        client, _ = client_selectors.client_for_viewer(viewer=viewer, client_id=chosen)
        form = AddMemberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            stay = run_service(form, households.add_member, actor=request.user, license=request.license,
                               enrollment=enrollment, client=client, relationship=form.cleaned_data["relationship"],
                               entry_date=form.cleaned_data["entry_date"])
            if stay:
                messages.success(request, f"Client {client.display_id} joined the household on "
                                          f"{stay.entry_date:%m/%d/%Y}. Record their project-start answers below.")
                return redirect("enrollments:detail", stay.enrollment_id)
    return render(request, "enrollments/household_add.html", {
        "enrollment": enrollment, "search": search, "results": results, "client": client, "form": form,
        **households.household_page(viewer=viewer, enrollment=enrollment)})


@access(DATA_ENTRY)
def remove_member(request, enrollment_id):
    """The member whose stay this is leaves the household on their own date (an exit)."""
    viewer, enrollment = _managed(request, enrollment_id)
    if not enrollment.is_open:
        messages.error(request, "This member has already left the stay.")
        return redirect("enrollments:detail", enrollment.enrollment_id)
    form = MemberExitForm(request.POST or None, initial={"version": enrollment.version})
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stay = households.exit_member(
                actor=request.user, license=request.license, enrollment=enrollment, exit_date=data["exit_date"],
                destination=data["destination"], version=data["version"],
                destination_subsidy_type=data.get("destination_subsidy_type"),
                other_destination=data.get("other_destination", ""))
        except services.ConcurrentEdit as conflict:
            form.add_error(None, conflict.messages[0])
            current = conflict.current
        except services.ValidationError as refusal:
            put_errors_on_form(form, refusal)
        else:
            messages.success(request, f"Client {stay.client.display_id} left the household's stay on "
                                      f"{stay.exit_date:%m/%d/%Y}. Record their exit answers below.")
            return redirect("enrollments:detail", stay.enrollment_id)
    label = households._labels(viewer, [enrollment])[enrollment.client_id]
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "current": current, "submit": "Record this member's exit",
        "title": f"Remove {label} from the household",
        "intro": "This member exits on their own date; the rest of the household stays. Nothing is deleted: the "
                 "stay keeps its history."})


@access(DATA_ENTRY)
def change_head(request, enrollment_id):
    viewer, enrollment = _managed(request, enrollment_id)
    if not households.household_is_open(enrollment):
        return _closed(request, enrollment)
    members = households._members(enrollment)
    labels = households._labels(viewer, members)
    head = households._head_of(members)
    present = [m for m in members if m.is_open and (head is None or m.pk != head.pk)]
    if head is None or not present:
        messages.error(request, "Another member must be in the project to become head of household.")
        return redirect("enrollments:detail", enrollment.enrollment_id)
    pairs = [(m, labels[m.client_id]) for m in present]
    form = ChangeHeadForm(request.POST or None, candidates=pairs, head=(head, labels[head.client_id]), others=pairs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_head = next(m for m in present if m.pk == data["new_head"])
        change = run_service(form, households.change_head, actor=request.user, license=request.license,
                             enrollment=enrollment, new_head=new_head,
                             previous_head_becomes=data["previous_head_becomes"],
                             effective_date=data["effective_date"], relationships=form.relationships())
        if change:
            messages.success(request, f"{labels[new_head.client_id]} is now head of household.")
            return redirect("enrollments:detail", enrollment.enrollment_id)
    return render(request, "enrollments/form_page.html", {
        "enrollment": enrollment, "form": form, "submit": "Change head of household",
        "title": "Change head of household",
        "intro": "A household has one head (HUD 3.15). Choose a member in the project now; the former head and the "
                 "others are recorded by their relationship to the new head, all in one step."})
