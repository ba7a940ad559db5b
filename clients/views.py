"""Client pages: search, the consent-first intake, the client record, corrections.

Nothing here reads client data except through clients/selectors.py, which asks
consent/visibility.py. Searches are POSTed, so names never appear in URLs (E1).
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from consent import services as consent_services
from consent.models import Roi
from consent.visibility import Viewer, profile_access
from consent.visibility import client_access as access_of
from hmis import crypto, dates
from hmis.access import AGENCY_CONTEXT, CLIENT_DATA, DATA_ENTRY, access
from hmis.audit import log_access
from hmis.errors import PolicyError
from hmis.models import AuditEntry
from hmis.viewkit import put_errors_on_form, run_service

from . import merge_selectors, selectors, services
from .dashboard import client_dashboard
from .forms import (
    ClientForm,
    ConsentForm,
    CorrectionForm,
    CreateAnywayForm,
    GapRequestForm,
    LockRequestForm,
    RevokeForm,
    SearchForm,
    typed_name,
)
from .models import Client, Household
from .offline_form import render_offline_form_pdf
from .validation import validate_udes

SESSION_INTAKE = "hmis_intake"  # {"roi": pk, "household": pk, "lock": bool, "serve": Client ID, "typed": token}
# What an intake starts from (issue 21), until consent is recorded: {"serve": HMIS Client ID}
# or {"typed": the search's words, encrypted}. Never a name in clear, never in a URL (E1).
SESSION_START = "hmis_intake_start"


# --- Search (D5) ---------------------------------------------------------------------
@access(CLIENT_DATA)
def search(request):
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        viewer = Viewer.from_request(request)
        results = selectors.search_clients(
            viewer=viewer, text=form.cleaned_data["text"],
            dob=form.cleaned_data["dob"], ssn_last4=form.cleaned_data["ssn_last4"],
        )
        selectors.log_shown(results, viewer=viewer, kind=AuditEntry.AccessKind.SEARCH, note="search result")
    template = "clients/_results.html" if request.htmx else "clients/search.html"
    return render(request, template, {"form": form, "results": results})


# --- Intake, step 0: what it starts from (issue 21) ----------------------------------
@access(DATA_ENTRY)
@require_POST
def intake_start(request):
    """Serve this client (a search result or a client's page), or start an intake from a
    search: the Client ID or the typed words are POSTed, kept in the session (the words
    encrypted) and the intake opens at its consent step, as always (C1)."""
    start = {}
    client_id = request.POST.get("client_id", "")
    if client_id:
        viewer = Viewer.from_request(request)
        client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=None)  # 404 if unseen
        start["serve"] = client.client_id
    else:
        search = SearchForm(request.POST)
        if search.is_valid():
            typed = {k: v for k, v in typed_name(search.cleaned_data["text"]).items() if v}
            if search.cleaned_data["dob"]:
                typed["dob"] = search.cleaned_data["dob"].isoformat()
            if typed:
                start["typed"] = crypto.encrypt(json.dumps(typed))
    if start:
        request.session[SESSION_START] = start
    else:
        request.session.pop(SESSION_START, None)
    return redirect(f"{reverse('clients:intake_consent')}?from=start")


def _serving(request, client_id):
    """The client an intake serves, as the viewer may see them (C2, C12), or None."""
    if not client_id:
        return None
    viewer = Viewer.from_request(request)
    client = selectors.with_consents(Client.objects.filter(client_id=client_id, merged_into__isnull=True)).first()
    if client is None:  # none, or merged into another record (which the search shows instead)
        return None
    client_access = access_of(viewer, client)
    return selectors.summarize(viewer, client, client_access) if client_access.visible else None


def _typed(token) -> dict:
    try:
        return json.loads(crypto.decrypt(token)) if token else {}
    except (crypto.UndecryptableValue, ValueError):
        return {}


# --- Intake, step 1: consent first (C1) ---------------------------------------------
@access(DATA_ENTRY)
def intake_consent(request):
    if request.method == "GET" and request.GET.get("from") != "start":
        request.session.pop(SESSION_START, None)  # a fresh intake starts blank
    start = request.session.get(SESSION_START) or {}
    serving = _serving(request, start.get("serve"))
    form = ConsentForm(request.POST or None, request.FILES or None, license=request.license)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form, consent_services.intake_consent, actor=request.user, license=request.license,
            sharing_level=data["sharing_level"], consent_type=data["consent_type"], signed_on=data["signed_on"],
            taken_by=data["taken_by"], project=data["project"], upload=data["document"],  # never stored for C3
        )
        if done and done.stored_nothing:
            request.session[SESSION_OPTED_OUT] = done.tally.pk
            return redirect("clients:intake_opted_out", done.tally.pk)
        if done:
            request.session.pop(SESSION_START, None)
            request.session[SESSION_INTAKE] = {
                "roi": done.roi.pk, "household": None, "lock": data["lock_requested"],
                "serve": serving.client_id if serving else None,
                "typed": None if serving else start.get("typed"),
            }
            return redirect("clients:intake_client", done.roi.pk)
    return render(request, "clients/intake_consent.html", {"form": form, "serving": serving})


SESSION_OPTED_OUT = "hmis_opted_out_tally"  # the tally whose guest's expected nights may still be given (C4)


@access(DATA_ENTRY)
def intake_opted_out(request, tally_pk):
    """C3/C4: what to do for a client with no record; at a shelter, the nights the guest is
    expected to stay, once per intake, so the alert counts guests staying at the same time."""
    from agencies.hud_lists import EMERGENCY_SHELTER_TYPES
    from consent.forms import ExpectedNightsForm
    from consent.models import OptOutTally

    tally = get_object_or_404(OptOutTally.objects.select_related("project"), pk=tally_pk,
                              project__agency=request.agency)
    may_add_nights = (request.session.get(SESSION_OPTED_OUT) == tally.pk
                      and tally.project.project_type in EMERGENCY_SHELTER_TYPES)
    form = ExpectedNightsForm(request.POST or None) if may_add_nights else None
    if request.method == "POST" and form is not None and form.is_valid():
        nights = form.cleaned_data["nights"]
        if run_service(form, consent_services.opt_out_expected_nights, actor=request.user, license=request.license,
                       tally=tally, nights=nights) is not None:
            request.session.pop(SESSION_OPTED_OUT, None)  # once: a second post would count the guest twice
            messages.success(request, f"Counted as staying {nights} night{'s' if nights != 1 else ''}, "
                                      "in the anonymous count only.")
            return redirect("clients:intake_opted_out", tally.pk)
    return render(request, "clients/intake_opted_out.html", {"tally": tally, "nights_form": form},
                  status=400 if form is not None and form.is_bound and form.errors else 200)


@access(AGENCY_CONTEXT)
def offline_form(request, lang):
    if lang not in ("en", "es"):
        raise Http404("English (en) or Spanish (es).")
    pdf = render_offline_form_pdf(lang=lang, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="offline-intake-form-{lang}.pdf"'
    return response


# --- Intake, step 2: the client and household under that consent ---------------------
def _intake_state(request, roi_pk):
    state = request.session.get(SESSION_INTAKE) or {}
    if state.get("roi") != roi_pk:
        state = {"roi": roi_pk, "household": None, "lock": False}
    return state


@access(DATA_ENTRY)
def intake_client(request, roi_pk):
    roi = get_object_or_404(Roi, pk=roi_pk, agency=request.agency, recorded_by=request.user)
    state = _intake_state(request, roi_pk)
    household = Household.objects.filter(pk=state["household"]).first() if state["household"] else None
    viewer = Viewer.from_request(request)
    action = request.POST.get("action", "check")
    covered_ids = set(roi.clients.values_list("client_id", flat=True))
    if state.get("serve") in covered_ids:
        state["serve"] = None
    typed = _typed(state.get("typed")) if not covered_ids else {}
    form = ClientForm(request.POST or None, initial=typed)
    reason_form = CreateAnywayForm(request.POST or None)
    matches = None

    if request.method == "POST" and action == "not_this_client":
        state["serve"] = None
        request.session[SESSION_INTAKE] = state
        return redirect("clients:intake_client", roi.pk)
    if request.method == "POST" and action == "link":
        client = Client.objects.filter(client_id=request.POST.get("client_id", ""), merged_into__isnull=True).first()
        if client is None:  # a merged record is linked through the record it lives in now
            raise Http404("No such client.")
        try:
            services.client_link(actor=request.user, license=request.license, roi=roi, client=client, household=household)
        except PolicyError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if household is None:
                household = client.household_memberships.first().household if client.household_memberships.exists() else None
            state["household"] = household.pk if household else None
            state["serve"] = state["typed"] = None
            request.session[SESSION_INTAKE] = state
            messages.success(request, f"Client {client.display_id} is now covered by this consent.")
            return redirect("clients:intake_client", roi.pk)
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        create = action == "create" and bool(request.POST.get("checked"))
        # D5, every time: the search before creating. Someone already on this consent (a
        # household member with the same surname) is shown but needs no reason to differ.
        matches = selectors.likely_duplicates(
            viewer=viewer, first_name=data["first_name"], last_name=data["last_name"], dob=data["dob"],
            ssn=data["ssn"],
        )
        selectors.log_shown(matches, viewer=viewer, kind=AuditEntry.AccessKind.SEARCH, note="duplicate check")
        elsewhere = [m.client_id for m in matches if m.client_id not in covered_ids]
        if create and elsewhere and not reason_form.reason():
            reason_form.add_error("duplicate_reason", "Say why this is a different person, or link the client found.")
            form.add_error(None, "Someone like this person is already in the HMIS: link them, or say why this is a "
                                 "different person before creating a new client.")
            create = False
        if not create:
            for field, message in validate_udes(data, dates.today()).items():
                form.add_error(field, message)
            # "Check and add" (issue 16, one pass): the search before creating (D5) has run;
            # with nobody like this person on file and nothing to fix there is nothing to
            # show, so the client is created now instead of after a second click.
            create = action == "add" and not matches and not form.errors
        if create:
            client = run_service(
                form, services.client_create, actor=request.user, license=request.license, roi=roi,
                household=household, duplicate_reason=reason_form.reason() if elsewhere else "",
                possible_duplicates=tuple(elsewhere), **data,
            )
            if client:
                if household is None:
                    household = client.household_memberships.get().household
                state["household"] = household.pk
                state["serve"] = state["typed"] = None
                request.session[SESSION_INTAKE] = state
                messages.success(request, f"Client {client.display_id} was added.")
                return redirect("clients:intake_client", roi.pk)

    covered = [selectors.summarize(viewer, c) for c in roi.clients.all()]
    serving = _serving(request, state.get("serve"))
    if serving is not None:
        selectors.log_shown([serving], viewer=viewer, kind=AuditEntry.AccessKind.SEARCH, note="intake: serve this client")
    return render(request, "clients/intake_client.html", {
        "roi": roi, "form": form, "matches": matches, "covered": covered, "serving": serving,
        "reason_form": reason_form, "covered_ids": covered_ids,
        "needs_reason": any(m.client_id not in covered_ids for m in matches or ()),
        "checked": matches is not None and form.is_valid() and not form.errors,
    })


@access(DATA_ENTRY)
@require_POST
def intake_finish(request, roi_pk):
    roi = get_object_or_404(Roi, pk=roi_pk, agency=request.agency, recorded_by=request.user)
    state = _intake_state(request, roi_pk)
    try:
        clients = services.intake_finish(actor=request.user, license=request.license, roi=roi,
                                         lock_requested=bool(state.get("lock")))
    except PolicyError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("clients:intake_client", roi.pk)
    if state.get("lock"):
        messages.info(request, "The lock request was sent to the HMIS Lead for approval.")
    request.session.pop(SESSION_INTAKE, None)
    return redirect("clients:detail", _head_of_intake(clients, state).client_id)


def _head_of_intake(clients, state):
    """The page "Finish intake" lands on: the head of the household this intake built,
    whose page offers "Enroll in a project" for everyone (issue 16)."""
    if state.get("household"):
        head = Client.objects.filter(household_memberships__household_id=state["household"],
                                     household_memberships__is_head=True, pk__in=[c.pk for c in clients]).first()
        if head:
            return head
    return clients[0]  # the service puts a head of household first


# --- The client record ----------------------------------------------------------------
@access(CLIENT_DATA)
def detail(request, client_id):
    viewer = Viewer.from_request(request)
    # Issue 21: a record merged into another leads to the survivor's page (when the viewer may see it).
    survivor_id = merge_selectors.survivor_id_for(viewer=viewer, client_id=client_id)
    if survivor_id:
        return redirect("clients:detail", survivor_id)
    client, client_access = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    context = {
        "today": dates.today(), "client": client, "access": client_access,
        "summary": selectors.summarize(viewer, client, client_access),
        **selectors.client_record(viewer=viewer, client=client, access=client_access),
    }
    # Issue 21: the page as a dashboard (clients/dashboard.py, a selector through consent/visibility.py).
    context["dashboard"] = client_dashboard(viewer=viewer, client=client, access=client_access,
                                            stays=context.get("enrollments"), rois=context.get("rois"))
    return render(request, "clients/detail.html", context)


@access(CLIENT_DATA)
@require_POST
def reveal_ssn(request, client_id):
    """The SSN is shown masked; revealing it is a logged read of its own. C12: only to
    those the number is shared with (a protected project's number stays masked)."""
    viewer = Viewer.from_request(request)
    client, client_access = selectors.client_for_viewer(viewer=viewer, client_id=client_id, log_kind=None)
    if not profile_access(viewer, client, client_access).full_ssn:
        raise Http404("No such client, or not one you may see.")
    log_access(client, kind=AuditEntry.AccessKind.REVEAL, actor=request.user, agency=request.agency,
               client_ref=client.client_id, note="SSN revealed")
    return render(request, "clients/_ssn.html", {"ssn": client.ssn})


@access(DATA_ENTRY)
def correct(request, client_id):
    viewer = Viewer.from_request(request)
    client, client_access = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    if not client_access.can_edit:
        raise Http404("No such client, or not one you may change.")
    hidden = services.hidden_profile_fields(viewer, client)
    form = CorrectionForm(request.POST or None, instance=client, hidden_fields=hidden)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name in form.fields}
        ssn = data.pop("ssn") or None
        # Keep the instance untouched: the service compares against what is stored.
        client.refresh_from_db()
        try:
            done = services.client_correct(actor=request.user, license=request.license, client=client, ssn=ssn,
                                           **data)
        except services.ConcurrentCorrection as refusal:
            form.add_error(None, refusal.messages[0])
            conflict = selectors.correction_rows(viewer=viewer, client=refusal.current, corrections=refusal.changes)
            # The next save starts from the version now on file, with what this person typed.
            form.data = form.data.copy()
            form.data["version"] = refusal.current.version
            done = None
        except ValidationError as refusal:
            put_errors_on_form(form, refusal)
            done = None
        if done:
            messages.success(request, f"{len(done)} value(s) corrected; the history shows what was there before.")
            return redirect("clients:detail", client.client_id)
    return render(request, "clients/correct.html", {"client": client, "form": form, "conflict": conflict})


@access(DATA_ENTRY)
def consent_new(request, client_id):
    """A new ROI for a client the agency already serves or can see (renewal, C6)."""
    viewer = Viewer.from_request(request)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    form = ConsentForm(request.POST or None, request.FILES or None, license=request.license)
    # Only the household members the viewer may see are offered (C12: never a locked or unshared member).
    members = selectors.household_of(viewer=viewer, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {m.client_id for m in members} & set(request.POST.getlist("members"))
        roi = run_service(
            form, consent_services.roi_record, actor=request.user, license=request.license,
            sharing_level=data["sharing_level"], consent_type=data["consent_type"], signed_on=data["signed_on"],
            taken_by=data["taken_by"], project=data["project"], upload=data["document"],
            clients=[client, *Client.objects.filter(client_id__in=chosen)],
        )
        if roi:
            messages.success(request, "The new consent was recorded.")
            return redirect("clients:detail", client.client_id)
    return render(request, "clients/consent_new.html", {"client": client, "form": form, "members": members})


@access(DATA_ENTRY)
def roi_revoke(request, client_id, roi_pk):
    viewer = Viewer.from_request(request)
    client, _ = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    roi = get_object_or_404(Roi, pk=roi_pk, clients=client, agency=request.agency)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, consent_services.roi_revoke, actor=request.user, license=request.license, roi=roi,
                       revoked_on=form.cleaned_data["revoked_on"]):
            messages.success(request, "The revocation was recorded. The household is no longer shared, and the HMIS Lead was told.")
            return redirect("clients:detail", client.client_id)
    return render(request, "clients/form_page.html", {
        "client": client, "form": form, "title": f"Record that client {client.display_id} revoked consent",
        "intro": "From this date nothing about the household on this ROI is shared with other agencies (C9).",
        "submit": "Record revocation",
    })


def _ask_the_hmis_lead(request, client_id, *, form_class, service, title, intro, done):
    """A request the serving agency sends the HMIS Lead about one of its clients."""
    viewer = Viewer.from_request(request)
    client, client_access = selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    if not client_access.serves_client:
        raise Http404("No such client, or not one your agency serves.")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, service, actor=request.user, license=request.license, client=client, **form.cleaned_data):
            messages.success(request, done)
            return redirect("clients:detail", client.client_id)
    return render(request, "clients/form_page.html", {
        "client": client, "form": form, "title": title.format(client=client), "intro": intro, "submit": "Send request",
    })


@access(DATA_ENTRY)
def lock_request(request, client_id):
    return _ask_the_hmis_lead(
        request, client_id, form_class=LockRequestForm, service=consent_services.lock_request,
        title="Ask to lock the record of client {client.display_id}",
        intro=("For a client at risk, for example fleeing violence (C10). Locked parts are seen only by your "
               "agency once the HMIS Lead approves."),
        done="The lock request was sent to the HMIS Lead.",
    )


@access(DATA_ENTRY)
def gap_request(request, client_id):
    return _ask_the_hmis_lead(
        request, client_id, form_class=GapRequestForm, service=consent_services.gap_request,
        title="Ask to enter data in an ROI gap for client {client.display_id}",
        intro="Data dated between two ROIs needs the HMIS Lead's approval before it is entered (C6).",
        done="The request was sent to the HMIS Lead. Enter the data once it is approved.",
    )
