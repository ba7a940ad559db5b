"""Compliance pages: the HMIS Lead's sanctions and oversight (S1-S3, A10-A12), the
committee agenda, data requests (E2, E4), retention (D7, C8); and each agency's own
compliance page. Views are thin: forms in, a service call, a redirect."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from agencies.models import License
from hmis import dates
from hmis.access import (
    AGENCY_CONTEXT,
    AGENCY_MANAGER,
    DATA_REQUESTS,
    SIGNED_IN,
    SYSTEM_ADMIN,
    access,
    is_lead,
    manages_agency,
)
from hmis.errors import PolicyError
from hmis.viewkit import paginate, run_service

from . import data_requests, oversight, retention, sanctions
from .forms import (
    BreachForm,
    CleanupForm,
    DataDecisionForm,
    DataRequestForm,
    FindingForm,
    InvestigationForm,
    LeadBreachForm,
    MeetingForm,
    ViolationForm,
    VisitForm,
)
from .models import (
    AffectedClient,
    Breach,
    CleanupNotice,
    DataRequest,
    Grievance,
    Investigation,
    MonitoringVisit,
    RetentionRun,
    Violation,
)


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _post_action(request, service, success: str, **kwargs) -> None:
    """Run a one-button action; a refusal becomes an error message."""
    try:
        service(actor=request.user, **kwargs)
    except PolicyError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, success)


# --- The HMIS Lead's hub ------------------------------------------------------------


@access(SYSTEM_ADMIN)
def hub(request):
    agenda = oversight.committee_agenda()
    return render(request, "compliance/hub.html", {
        "open_violations": Violation.objects.filter(lifted_at__isnull=True).count(),
        "open_investigations": Investigation.objects.exclude(status=Investigation.Status.CLOSED).count(),
        "open_breaches": Breach.objects.filter(resolved_at__isnull=True).count(),
        "due_monitoring": oversight.agencies_due_monitoring().count(),
        "open_cleanups": CleanupNotice.objects.filter(completed_on__isnull=True).count(),
        "agenda_items": sum(q.count() for q in agenda.values()),
        "open_data_requests": DataRequest.objects.filter(status__in=[DataRequest.Status.REVIEW, DataRequest.Status.COC]).count(),
    })


# --- S1: violations -------------------------------------------------------------------


@access(SYSTEM_ADMIN)
def violations(request):
    form = ViolationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        violation = run_service(form, sanctions.record_violation, actor=request.user, **form.cleaned_data)
        if violation:
            messages.success(request, f"{violation.tier_label} violation recorded; the license is suspended.")
            return redirect("oversight:violation", violation.pk)
    page = paginate(request, Violation.objects.select_related("user", "agency"))
    return render(request, "compliance/violations.html", {"form": form, "page": page})


@access(SYSTEM_ADMIN)
def violation(request, pk):
    violation = get_object_or_404(Violation.objects.select_related("user", "agency"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "panel":
            _post_action(request, sanctions.panel_decide, "The panel's decision is recorded.", violation=violation,
                         decision=request.POST.get("decision", ""), note=request.POST.get("note", ""))
        elif action == "training":
            _post_action(request, sanctions.record_training, "Training recorded.", violation=violation,
                         given_on=dates.today())
        elif action == "remedy":
            _post_action(request, sanctions.report_remedy, "The remedy is recorded.", violation=violation,
                         remedy=request.POST.get("remedy", ""))
        return redirect("oversight:violation", violation.pk)
    history = Violation.objects.filter(user=violation.user).select_related("agency")
    return render(request, "compliance/violation.html", {
        "violation": violation, "history": history, "panel_choices": Violation.PanelDecision.choices,
        "licenses": License.objects.filter(user=violation.user).select_related("agency")})


# --- S2, S3: investigations -----------------------------------------------------------


@access(SYSTEM_ADMIN)
def investigations(request):
    form = InvestigationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        investigation = run_service(form, sanctions.open_investigation, actor=request.user, **form.cleaned_data)
        if investigation:
            messages.success(request, f"{investigation.user.username} is suspended pending investigation.")
            return redirect("oversight:investigation", investigation.pk)
    page = paginate(request, Investigation.objects.select_related("user", "agency"))
    return render(request, "compliance/investigations.html", {"form": form, "page": page})


@access(SYSTEM_ADMIN)
def investigation(request, pk):
    investigation = get_object_or_404(Investigation.objects.select_related("user", "agency"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "lead":
            _post_action(request, sanctions.lead_decide, "The decision is recorded.", investigation=investigation,
                         decision=request.POST.get("decision", ""), note=request.POST.get("note", ""))
        elif action == "governance":
            _post_action(request, sanctions.governance_decide, "The governance committee's decision is recorded.",
                         investigation=investigation, keep=request.POST.get("decision") == "keep",
                         note=request.POST.get("note", ""), decided_on=dates.today())
        elif action == "notified":
            affected = get_object_or_404(investigation.affected, pk=request.POST.get("affected"))
            _post_action(request, sanctions.mark_notified, "Recorded.", affected=affected,
                         reached=request.POST.get("reached") == "yes")
        return redirect("oversight:investigation", investigation.pk)
    return render(request, "compliance/investigation.html", {
        "investigation": investigation, "affected": investigation.affected.select_related("client")})


@access(SYSTEM_ADMIN)
def notification_letter(request, pk, affected_pk, language):
    affected = get_object_or_404(AffectedClient.objects.select_related("client", "investigation__agency"),
                                 pk=affected_pk, investigation_id=pk)
    try:
        pdf, filename = sanctions.notification_letter(actor=request.user, affected=affected, language=language,
                                                      request=request)
    except PolicyError:
        raise Http404("No such letter.") from None
    return _pdf(pdf, filename)


# --- A10: breaches ----------------------------------------------------------------------


@access(SYSTEM_ADMIN)
def breaches(request):
    form = LeadBreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        breach = run_service(form, oversight.report_breach, actor=request.user, **form.cleaned_data)
        if breach:
            messages.success(request, f"Breach recorded; {breach.agency.name} is on probation.")
            return redirect("oversight:breach", breach.pk)
    page = paginate(request, Breach.objects.select_related("agency", "reported_by"))
    return render(request, "compliance/breaches.html", {"form": form, "page": page})


@access(SYSTEM_ADMIN)
def breach(request, pk):
    breach = get_object_or_404(Breach.objects.select_related("agency", "reported_by"), pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "compliant":
            _post_action(request, oversight.find_compliant, f"{breach.agency.name} is found compliant.",
                         agency=breach.agency, note=request.POST.get("note", ""))
        elif request.POST.get("action") == "suspend":
            _post_action(request, oversight.suspend_for_breach, f"{breach.agency.name} is suspended.", agency=breach.agency)
        return redirect("oversight:breach", breach.pk)
    return render(request, "compliance/breach.html", {
        "breach": breach, "history": Breach.objects.filter(agency=breach.agency)})


# --- A11: monitoring ----------------------------------------------------------------------


@access(SYSTEM_ADMIN)
def monitoring(request):
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visit = run_service(form, oversight.schedule_visit, actor=request.user, **form.cleaned_data)
        if visit:
            messages.success(request, f"Visit to {visit.agency.name} scheduled; the agency is told.")
            return redirect("oversight:visit", visit.pk)
    return render(request, "compliance/monitoring.html", {
        "form": form, "due": oversight.agencies_due_monitoring(), "fiscal_year": dates.fiscal_year_of(dates.today()),
        "page": paginate(request, MonitoringVisit.objects.select_related("agency"))})


@access(SYSTEM_ADMIN)
def visit(request, pk):
    visit = get_object_or_404(MonitoringVisit.objects.select_related("agency"), pk=pk)
    form = FindingForm(agency=visit.agency)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "finding":
            form = FindingForm(request.POST, agency=visit.agency)
            if form.is_valid() and run_service(form, oversight.add_finding, actor=request.user, visit=visit,
                                               **form.cleaned_data):
                messages.success(request, "Finding recorded.")
                return redirect("oversight:visit", visit.pk)
        else:
            service = {"letter": oversight.send_letter, "cure": oversight.record_cure}.get(action)
            if service:
                _post_action(request, service, "Done.", visit=visit)
            return redirect("oversight:visit", visit.pk)
    return render(request, "compliance/visit.html", {
        "visit": visit, "form": form, "findings": visit.findings.prefetch_related("projects"),
        "recipients": oversight.letter_recipients(visit.agency), "today": dates.today()})


@access(SIGNED_IN)
def visit_letter(request, pk):
    visit = get_object_or_404(MonitoringVisit.objects.select_related("agency"), pk=pk, letter_sent_on__isnull=False)
    if not manages_agency(request, visit.agency):
        raise Http404("No such letter.")
    return _pdf(*oversight.monitoring_letter(visit, request))


# --- A12: clean-up notices ------------------------------------------------------------------


@access(SYSTEM_ADMIN)
def cleanups(request):
    form = CleanupForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "complete":
            notice = get_object_or_404(CleanupNotice, pk=request.POST.get("notice"))
            _post_action(request, oversight.complete_cleanup, "Marked complete.", notice=notice)
            return redirect("oversight:cleanups")
        if form.is_valid() and run_service(form, oversight.issue_cleanup, actor=request.user, **form.cleaned_data):
            messages.success(request, "Clean-up notice issued; the agency is told.")
            return redirect("oversight:cleanups")
    return render(request, "compliance/cleanups.html", {
        "form": form, "page": paginate(request, CleanupNotice.objects.select_related("agency", "project"))})


@access(SIGNED_IN)
def cleanup_letter(request, pk):
    notice = get_object_or_404(CleanupNotice.objects.select_related("agency", "project"), pk=pk,
                               noncompliance_letter_on__isnull=False)
    if not manages_agency(request, notice.agency):
        raise Http404("No such letter.")
    return _pdf(*oversight.cleanup_letter(notice, request))


# --- The advisory committee -----------------------------------------------------------------


@access(SYSTEM_ADMIN)
def committee(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        told = run_service(form, oversight.mark_committee_told, actor=request.user, **form.cleaned_data)
        if told is not None:
            messages.success(request, f"{told} items recorded as told to the committee.")
            return redirect("oversight:committee")
    return render(request, "compliance/committee.html", {"form": form, **oversight.committee_agenda()})


# --- E2, E4: data requests --------------------------------------------------------------------


def _visible_data_requests(request):
    """DATA_REQUESTS let the request in: the Lead sees all, an agency its own."""
    if is_lead(request):
        return DataRequest.objects.all()
    return DataRequest.objects.filter(agency=request.license.agency)


@access(DATA_REQUESTS)  # 404 to everyone else: the pages do not reveal themselves
def data_request_list(request):
    lead = is_lead(request)
    form = DataRequestForm(request.POST or None, lead=lead)
    if request.method == "POST" and form.is_valid():
        made = run_service(form, data_requests.submit, actor=request.user,
                           agency=None if lead else request.license.agency, **form.cleaned_data)
        if made:
            if made.status == DataRequest.Status.REFUSED:
                messages.error(request, made.status_reason)
            else:
                messages.success(request, "Request received." + (
                    " It needs CoC approval." if made.needs_coc_approval else " No CoC approval is needed."))
            return redirect("oversight:data_request", made.pk)
    return render(request, "compliance/data_requests.html", {
        "form": form, "page": paginate(request, _visible_data_requests(request))})


@access(DATA_REQUESTS)
def data_request(request, pk):
    made = get_object_or_404(_visible_data_requests(request), pk=pk)
    form = DataDecisionForm(request.POST or None)
    if request.method == "POST" and is_lead(request) and form.is_valid():
        if run_service(form, data_requests.decide, actor=request.user, request=made, **form.cleaned_data):
            messages.success(request, f"The request is now: {made.get_status_display()}.")
            return redirect("oversight:data_request", made.pk)
    return render(request, "compliance/data_request.html", {"made": made, "form": form})


# --- D7, C8: retention -------------------------------------------------------------------------


@access(SYSTEM_ADMIN)
def retention_page(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "dry_run":
            run = retention.run(dry_run=True, actor=request.user)
            messages.success(request, f"Dry run: {len(run.client_ids)} clients and {len(run.document_ids)} documents are due.")
        elif action == "approve":
            run = get_object_or_404(RetentionRun, pk=request.POST.get("run"))
            _post_action(request, retention.approve, "Approved: the daily job now de-identifies and removes what is due.",
                         dry_run=run)
        return redirect("oversight:retention")
    return render(request, "compliance/retention.html", {
        "runs": RetentionRun.objects.select_related("started_by", "approved_by")[:20],
        "approved": retention.approved_dry_run(), "years": retention.YEARS})


# --- The agency's own compliance page -------------------------------------------------------------


@access(AGENCY_MANAGER.hidden(within=AGENCY_CONTEXT))  # 404 to the agency's other people
def agency_compliance(request):
    agency = request.agency
    breach_form = BreachForm(request.POST if request.POST.get("action") == "breach" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "breach":
            if breach_form.is_valid() and run_service(breach_form, oversight.report_breach, actor=request.user,
                                                      agency=agency, **breach_form.cleaned_data):
                messages.success(request, "The breach is reported to the HMIS Lead.")
                return redirect("oversight:agency_compliance")
        else:
            if action == "remedy":
                violation = get_object_or_404(Violation, pk=request.POST.get("violation"), agency=agency)
                _post_action(request, sanctions.report_remedy, "The remedy is reported to the HMIS Lead.",
                             violation=violation, remedy=request.POST.get("remedy", ""))
            elif action == "plan":
                investigation = get_object_or_404(Investigation, pk=request.POST.get("investigation"), agency=agency)
                _post_action(request, sanctions.submit_plan, "The plan is sent to the HMIS Lead.",
                             investigation=investigation, plan=request.POST.get("plan", ""))
            elif action == "grievance":
                from .client_rights import resolve_grievance

                grievance = get_object_or_404(Grievance, pk=request.POST.get("grievance"), agency=agency)
                _post_action(request, resolve_grievance, "The grievance is resolved.", grievance=grievance,
                             response=request.POST.get("response", ""))
            return redirect("oversight:agency_compliance")
    return render(request, "compliance/agency_compliance.html", {
        "agency": agency, "breach_form": breach_form,
        "violations": Violation.objects.filter(agency=agency).select_related("user"),
        "investigations": Investigation.objects.filter(agency=agency).select_related("user"),
        "breaches": Breach.objects.filter(agency=agency),
        "visits": MonitoringVisit.objects.filter(agency=agency),
        "cleanups": CleanupNotice.objects.filter(agency=agency).select_related("project"),
        "grievances": Grievance.objects.filter(agency=agency).select_related("client"),
    })
