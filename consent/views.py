"""Consent screens: documents (served only through a permission check), and the
HMIS Lead's queues: lock requests (C10), gap approvals (C6), clients without a
documented ROI (C11), and the opt-out tally (C4)."""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from clients.forms import DecisionForm
from clients.models import Client
from hmis import dates
from hmis.access import AGENCY_CONTEXT, CLIENT_DATA, DATA_ENTRY, SYSTEM_ADMIN, access, is_lead
from hmis.audit import log_access
from hmis.dates import today
from hmis.models import AuditEntry
from hmis.viewkit import paginate

from . import documents, services
from .models import ClientLock, GapApproval, OptOutTally, Roi, RoiDocument
from .visibility import Viewer, document_visible


@access(CLIENT_DATA)
def document_download(request, uuid):
    """E5, C12: a scanned form is opened only by the agency that recorded the consent or
    the HMIS Lead, and every opening is logged."""
    document = get_object_or_404(RoiDocument.objects.select_related("roi"), uuid=uuid)
    viewer = Viewer.from_request(request)
    clients = list(document.roi.clients.all())
    if not document_visible(viewer, document):
        raise Http404("No such document, or not one you may open.")
    if not documents.downloadable(document):  # E5: quarantined until the virus scanner finds it clean
        return render(request, "consent/document_quarantined.html", {"document": document}, status=409)
    for client in clients:
        log_access(document, kind=AuditEntry.AccessKind.DOWNLOAD, actor=request.user, agency=request.agency,
                   client_ref=client.client_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.download_name,
                        content_type=document.content_type)


def _queue(request, requests, template):
    requests = requests.select_related("client", "agency", "requested_by")
    requested = requests.model.Status.REQUESTED
    return render(request, template, {
        "pending": requests.filter(status=requested),
        "decided": requests.exclude(status=requested)[:50],
    })


def _decide(request, model, pk, service, argument, back):
    decision = get_object_or_404(model, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        service(actor=request.user, approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"],
                **{argument: decision})
        messages.success(request, f"Client {decision.client.display_id}: {decision.get_status_display().lower()}.")
    return redirect(back)


@access(SYSTEM_ADMIN)
def lock_requests(request):
    # Locks the no-sharing policy puts in force are not requests: only clients' own asks.
    return _queue(request, ClientLock.objects.filter(source=ClientLock.Source.CLIENT_REQUEST),
                  "consent/lock_requests.html")


@access(SYSTEM_ADMIN)
@require_POST
def lock_decide(request, pk):
    return _decide(request, ClientLock, pk, services.lock_decide, "lock", "consent:lock_requests")


@access(SYSTEM_ADMIN)
def gap_requests(request):
    return _queue(request, GapApproval.objects.all(), "consent/gap_requests.html")


@access(SYSTEM_ADMIN)
@require_POST
def gap_decide(request, pk):
    return _decide(request, GapApproval, pk, services.gap_decide, "request", "consent:gap_requests")


@access(SYSTEM_ADMIN)
def clients_without_roi(request):
    """C11: clients with no ROI in force today, by the agency that entered them."""
    day = today()
    active = Roi.objects.filter(clients=OuterRef("pk"), signed_on__lte=day, expires_on__gte=day).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))
    documented = Roi.objects.filter(clients=OuterRef("pk"))
    clients = (
        Client.objects.annotate(has_active=Exists(active), has_any=Exists(documented))
        .filter(has_active=False, merged_into__isnull=True)  # issue 21: a merged record's consents moved
        .select_related("entered_by_agency").order_by("entered_by_agency__name", "client_id")
    )
    return render(request, "consent/clients_without_roi.html", {"page": paginate(request, clients)})


@access(SYSTEM_ADMIN)
def other_agency_consents(request):
    """C12: who recorded a consent for a client another agency entered, and when."""
    from .selectors import consents_for_other_agencies_clients

    return render(request, "consent/other_agency_consents.html",
                  {"page": paginate(request, consents_for_other_agencies_clients())})


@access(AGENCY_CONTEXT)
def opt_out_tally(request):
    """C4: the anonymous count of people served without a record, for utilization reports."""
    from .selectors import opt_out_by_quarter

    tallies = OptOutTally.objects.select_related("project", "project__agency").order_by("-date", "project__name")
    if not is_lead(request):
        tallies = tallies.filter(project__agency=request.agency)
    try:
        year = int(request.GET.get("year") or dates.today().year)
    except ValueError:
        year = dates.today().year
    quarters = opt_out_by_quarter(tallies, year)
    if request.GET.get("download") == "csv":
        from django.http import HttpResponse

        from hmis import csvsafe

        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="opt-out-tally-{year}.csv"'
        writer = csvsafe.writer(response)
        writer.writerow(["Agency", "Project", f"Q1 {year}", f"Q2 {year}", f"Q3 {year}", f"Q4 {year}", "Year"])
        for row in quarters:
            writer.writerow([row["agency"], row["project"], *row["quarters"], row["total"]])
        return response
    return render(request, "consent/opt_out_tally.html", {
        "page": paginate(request, tallies), "year": year, "quarters": quarters,
        "nightly_form": _nightly_form(request)})


def _nightly_form(request, data=None):
    """C4: the nightly count form, for those who enter data at one of the agency's shelters."""
    from .forms import NightlyStayingForm

    form = NightlyStayingForm(data, license=getattr(request, "license", None))
    return form if form.fields["project"].queryset.exists() else None


@access(DATA_ENTRY)
@require_POST
def opt_out_staying(request):
    """C4: record how many guests without a record stay at a shelter on a night (the nightly
    check-in's count); the alert compares it with the CoC's threshold."""
    from hmis.viewkit import run_service

    form = _nightly_form(request, request.POST)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        tally = run_service(form, services.opt_out_staying, actor=request.user, license=request.license,
                            project=data["project"], night=data["night"], staying=data["staying"])
        if tally is not None:
            messages.success(request, f"{tally.project.name}, night of {tally.date:%m/%d/%Y}: "
                                      f"{tally.staying} staying without a record.")
            return redirect("consent:opt_out_tally")
    if form is None:
        messages.error(request, "You do not enter data at an emergency shelter of your agency.")
        return redirect("consent:opt_out_tally")
    tallies = OptOutTally.objects.select_related("project", "project__agency").filter(
        project__agency=request.agency).order_by("-date", "project__name")
    from .selectors import opt_out_by_quarter

    year = dates.today().year
    return render(request, "consent/opt_out_tally.html", {
        "page": paginate(request, tallies), "year": year, "quarters": opt_out_by_quarter(tallies, year),
        "nightly_form": form}, status=400)
