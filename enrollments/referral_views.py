"""Referrals between agencies (issue 21). Thin: forms validate, enrollments/referrals.py
writes, enrollments/referral_selectors.py reads, hmis/access.py and consent/visibility.py
decide who may see and do what."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clients import selectors as client_selectors
from consent.visibility import Viewer, client_access, referral_projects, referral_refusal
from hmis.access import (
    CLIENT_DATA,
    DATA_ENTRY,
    access,
    answers_referral,
    enrolls_from_referral,
    refers_client,
    withdraws_referral,
)
from hmis.viewkit import run_service

from . import referral_selectors, referrals
from .models import Enrollment
from .referral_forms import AcceptForm, DeclineForm, ReferralForm, WithdrawForm


@access(DATA_ENTRY)
def referral_new(request, client_id):
    """Refer a client the agency serves to another agency's project (from the client's
    page, or from a stay: ?stay=<enrollment ID>)."""
    viewer = Viewer.from_request(request)
    client, client_access = client_selectors.client_for_viewer(viewer=viewer, client_id=client_id)
    if not refers_client(request, client_access):
        raise PermissionDenied("Only an agency serving this client refers them.")
    stay_id = request.POST.get("stay") or request.GET.get("stay", "")
    stay = Enrollment.objects.filter(enrollment_id=stay_id, client=client, agency=request.license.agency).first() \
        if stay_id else None
    projects = referral_projects(request.license.agency)
    # The consent question does not depend on the project: asked once for the page (C12).
    consent_problem = referral_refusal(client, request.license.agency, projects.first()) if projects.exists() else ""
    form = ReferralForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        referral = run_service(form, referrals.refer, actor=request.user, license=request.license, client=client,
                               to_project=form.cleaned_data["to_project"], note=form.cleaned_data["note"],
                               from_enrollment=stay)
        if referral:
            messages.success(request, f"Client {client.display_id} was referred to "
                                      f"{referral.to_project.name}. {referral.to_agency.name} is told.")
            return redirect("enrollments:referral", referral.referral_id)
    return render(request, "enrollments/referral_new.html", {
        "client": client, "form": form, "stay": stay, "consent_problem": consent_problem,
        "has_projects": projects.exists(), "earlier": referral_selectors.referrals_of_client(viewer, client)})


@access(CLIENT_DATA)
def referrals_in(request):
    """The receiving agency's queue: waiting first, with days waiting."""
    rows = referral_selectors.referrals_to(Viewer.from_request(request))
    return render(request, "enrollments/referral_list.html", {
        "rows": rows, "incoming": True, "title": "Referrals to us"})


@access(CLIENT_DATA)
def referrals_out(request):
    rows = referral_selectors.referrals_from(Viewer.from_request(request))
    return render(request, "enrollments/referral_list.html", {
        "rows": rows, "incoming": False, "title": "Our referrals"})


def _page(request, referral_id, **forms):
    viewer = Viewer.from_request(request)
    referral, client_access, events = referral_selectors.referral_for_viewer(viewer=viewer, referral_id=referral_id)
    answers, withdraws = answers_referral(request, referral), withdraws_referral(request, referral)
    context = {
        "referral": referral, "client_access": client_access, "events": events,
        "answers": answers, "withdraws": withdraws,
        "accept_form": forms.get("accept_form") or AcceptForm(prefix="accept"),
        "decline_form": forms.get("decline_form") or DeclineForm(prefix="decline"),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(prefix="withdraw"),
        # After accepting: the receiving agency opens a stay, recording its own consent first
        # when it does not serve the client yet (C1).
        "enrolls": enrolls_from_referral(request, referral),
        "incoming": referral.to_agency_id == viewer.agency_id,
    }
    return render(request, "enrollments/referral_detail.html", context)


@access(CLIENT_DATA)
def referral_detail(request, referral_id):
    return _page(request, referral_id)


def _actionable(request, referral_id, decides):
    viewer = Viewer.from_request(request)
    referral, _, _ = referral_selectors.referral_for_viewer(viewer=viewer, referral_id=referral_id)
    if not decides(request, referral):
        raise PermissionDenied("You cannot act on this referral.")
    return referral


@access(DATA_ENTRY)
@require_POST
def referral_accept(request, referral_id):
    referral = _actionable(request, referral_id, answers_referral)
    form = AcceptForm(request.POST, prefix="accept")
    if form.is_valid() and run_service(form, referrals.accept, actor=request.user, license=request.license,
                                       referral=referral, note=form.cleaned_data["note"]):
        messages.success(request, f"The referral of client {referral.client.display_id} is accepted; "
                                  f"{referral.from_agency.name} is told.")
        if "enroll" in request.POST:
            if client_access(Viewer.from_request(request), referral.client).serves_client:
                return redirect("enrollments:enroll", referral.client.client_id)
            messages.info(request, "Your agency has no consent of its own for this client yet: record it first, "
                                   "then enroll them (C1).")
        return redirect("enrollments:referral", referral.referral_id)
    return _page(request, referral_id, accept_form=form)


@access(DATA_ENTRY)
@require_POST
def referral_decline(request, referral_id):
    referral = _actionable(request, referral_id, answers_referral)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid() and run_service(form, referrals.decline, actor=request.user, license=request.license,
                                       referral=referral, reason=form.cleaned_data["reason"],
                                       note=form.cleaned_data["note"]):
        messages.success(request, f"The referral of client {referral.client.display_id} is declined; "
                                  f"{referral.from_agency.name} is told.")
        return redirect("enrollments:referral", referral.referral_id)
    return _page(request, referral_id, decline_form=form)


@access(DATA_ENTRY)
@require_POST
def referral_withdraw(request, referral_id):
    referral = _actionable(request, referral_id, withdraws_referral)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid() and run_service(form, referrals.withdraw, actor=request.user, license=request.license,
                                       referral=referral, note=form.cleaned_data["note"]):
        messages.success(request, "The referral is withdrawn.")
        return redirect("enrollments:referral", referral.referral_id)
    return _page(request, referral_id, withdraw_form=form)
