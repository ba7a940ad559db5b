"""The agency's own administration (A3, A8, U1, U6) and the HMIS Lead's queue of
access requests and license dashboard."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from hmis import csvsafe
from hmis.access import (
    AGENCY_CONTEXT,
    AGENCY_DIRECTOR,
    AGENCY_MANAGER,
    AUTHORIZED_REPRESENTATIVE,
    LEAD_OR_AGENCY_MANAGER,
    SIGNED_IN,
    SYSTEM_ADMIN,
    access,
    acts_for_agency,
    is_lead,
    manages_agency,
    manages_license,
)
from hmis.errors import PolicyError
from hmis.viewkit import paginate, run_service

from . import selectors, services
from .forms import AccessRequestForm, AgencyProfileForm, LicenseFilter, RevokeLicenseForm
from .models import Agency, License, UserAccessRequest


def _my_license(request, pk) -> License:
    return get_object_or_404(License.objects.select_related("user", "agency"), pk=pk, agency=request.agency)


@access(AGENCY_CONTEXT)
def my_agency(request):
    agency = request.agency
    from .agreements import LABELS

    licenses = list(selectors.licenses_of_agency(agency))
    return render(request, "agencies/my_agency.html", {
        "agency": agency, "agreement_label": LABELS[agency.agreement_status].split(":")[0].lower(), "licenses": licenses,
        "requests": agency.access_requests.all()[:20],
        "manages": AGENCY_MANAGER.permits(request),
        "is_rep": AUTHORIZED_REPRESENTATIVE.permits(request),
        "managed_licenses": {lic.pk for lic in licenses if manages_license(request, lic)},
        "contact_roles": [(r, License.Role(r).label) for r in services.CONTACT_ROLES],
    })


@access(AGENCY_CONTEXT)
def my_agency_edit(request):
    agency = request.agency
    form = AgencyProfileForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.agency_profile_update, actor=request.user, agency=agency, **form.cleaned_data):
            messages.success(request, "The agency's privacy details were saved.")
            return redirect("my_agency")
    return render(request, "agencies/form_page.html", {"form": form, "title": f"Privacy details of {agency.name}",
                                                       "submit": "Save", "back": "my_agency"})


@access(AGENCY_CONTEXT)
@require_POST
def license_role(request, pk):
    license = _my_license(request, pk)
    try:
        services.license_set_contact_role(actor=request.user, license=license, role=request.POST.get("role", ""))
    except PolicyError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"{license.user.display_name} is now {license.get_role_display()}.")
    return redirect("my_agency")


@access(AGENCY_CONTEXT)
def access_request_new(request):
    form = AccessRequestForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        projects = data.pop("projects")
        if run_service(form, services.access_request_submit, actor=request.user, agency=request.agency,
                       projects=list(projects), **data):
            messages.success(request, "The request was sent to the HMIS Lead.")
            return redirect("my_agency")
    return render(request, "agencies/form_page.html", {"form": form, "title": "Request a user account",
                                                       "submit": "Send request", "back": "my_agency"})


@access(AGENCY_CONTEXT)
def license_revoke(request, pk):
    license = _my_license(request, pk)
    form = RevokeLicenseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.license_revoke, actor=request.user, license=license, **form.cleaned_data):
            messages.success(request, f"Access of {license.user.display_name} ended now.")
            return redirect("my_agency")
    return render(request, "agencies/form_page.html", {
        "form": form, "title": f"End the access of {license.user.display_name}", "submit": "End access now",
        "back": "my_agency",
        "intro": "Access ends at once. Revoke no later than 3 business days after the person left (U6)."})


@access(SYSTEM_ADMIN)
def access_requests(request):
    pending = UserAccessRequest.objects.filter(status=UserAccessRequest.Status.REQUESTED).select_related(
        "agency", "requested_by").prefetch_related("projects")
    decided = UserAccessRequest.objects.exclude(status=UserAccessRequest.Status.REQUESTED).select_related("agency")[:50]
    return render(request, "agencies/access_requests.html", {"pending": pending, "decided": decided})


@access(SYSTEM_ADMIN)
@require_POST
def access_request_decide(request, pk):
    uar = get_object_or_404(UserAccessRequest, pk=pk)
    try:
        _, password = services.access_request_decide(actor=request.user, request=uar,
                                                     approve=request.POST.get("decision") == "approve",
                                                     reason=request.POST.get("reason", ""))
    except PolicyError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("access_requests")
    if password:
        messages.success(request, f"Account {uar.username} created. Give this first password to the person privately; "
                                  f"it is not shown again: {password}")
    else:
        messages.success(request, f"Request for {uar.username}: {uar.get_status_display().lower()}.")
    return redirect("access_requests")


@access(SYSTEM_ADMIN)
def license_dashboard(request):
    """Seats per agency and each person's status, with filters and a CSV download."""
    licenses = LicenseFilter(request.GET, License.objects.select_related("user", "agency").order_by(
        "agency__name", "user__username"))
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="licenses.csv"'
        writer = csvsafe.writer(response)
        writer.writerow(["agency", "username", "role", "access_level", "status", "person_status", "left_on",
                         "revoked_on", "revoked_late"])
        for lic in licenses.qs:
            writer.writerow([lic.agency.name, lic.user.username, lic.role, lic.access_level, lic.status,
                             person_status(lic), lic.left_on or "", lic.revoked_at.date() if lic.revoked_at else "",
                             lic.revoked_late])
        return response
    seats = Agency.objects.annotate(
        active=Count("licenses", filter=Q(licenses__status=License.Status.ACTIVE)),
        suspended=Count("licenses", filter=Q(licenses__status=License.Status.SUSPENDED)),
        revoked=Count("licenses", filter=Q(licenses__status=License.Status.REVOKED)),
        requested=Count("access_requests", filter=Q(access_requests__status=UserAccessRequest.Status.REQUESTED),
                        distinct=True),
    ).order_by("name")
    page = paginate(request, licenses.qs)
    return render(request, "agencies/license_dashboard.html", {
        "filter": licenses, "page": page, "rows": [(lic, person_status(lic)) for lic in page], "seats": seats,
        "csv_query": request.GET.urlencode(),
        "requested": UserAccessRequest.objects.filter(status=UserAccessRequest.Status.REQUESTED).select_related("agency"),
    })


def person_status(license: License) -> str:
    """The license dashboard's status of a person at an agency."""
    from compliance.services import RECERT_REASON

    if license.status == License.Status.REVOKED:
        return "Revoked"
    if license.status == License.Status.SUSPENDED:
        return "Recertification due" if license.status_reason == RECERT_REASON else "Suspended"
    return "Active" if license.user_trained else "In training"




LETTER_STATUSES = (Agency.Status.ONBOARDING, Agency.Status.PARTICIPATING, Agency.Status.PROBATION)


@access(AGENCY_CONTEXT)
def termination_notice(request):
    from .forms import TerminationForm

    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.termination_notice, actor=request.user, agency=request.agency,
                       **form.cleaned_data):
            messages.success(request, "The notice was recorded and the HMIS Lead was told.")
            return redirect("my_agency")
    return render(request, "agencies/form_page.html", {
        "form": form, "title": f"Stop participating: {request.agency.name}", "submit": "Give notice", "back": "my_agency",
        "intro": ("At least 30 days' notice (A4). On that date every user loses access to the agency's projects and "
                  "the projects close. Signed consent forms stay retained for 7 years.")})


@access(LEAD_OR_AGENCY_MANAGER)  # narrowed below to the agency's own director and representatives
def participation_letter(request, agency_id):
    """A5: an HMIS participation letter, for participating and onboarding agencies."""
    from django.core.exceptions import PermissionDenied

    from hmis.dates import today
    from hmis.pdf import render_pdf

    from .models import HmisLead

    agency = get_object_or_404(Agency, pk=agency_id)
    if not manages_agency(request, agency):
        raise PermissionDenied("Participation letters are for the agency's director and representatives.")
    if agency.status not in LETTER_STATUSES:
        messages.error(request, f"{agency.name} is {agency.get_status_display().lower()}: no participation letter is issued.")
        return redirect("agencies:agency_detail", agency.pk) if is_lead(request) else redirect("my_agency")
    pdf = render_pdf("agencies/participation_letter.html", {
        "agency": agency, "lead": HmisLead.objects.first(), "today": today(), "cocs": agency.cocs.all()}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="participation-letter-{agency.pk}.pdf"'
    return response


@access(AGENCY_CONTEXT)
def agreement(request):
    """A1, A2: the executive director reads and signs the agreement in the application."""
    from . import agreements
    from .forms import AgreementSignForm
    from .models import AgreementVersion

    agency = request.agency
    form = AgreementSignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.agreement_sign, actor=request.user, agency=agency,
                       ip_address=request.META.get("REMOTE_ADDR"), **form.cleaned_data):
            messages.success(request, "The agreement is signed. Thank you.")
            return redirect("agreement")
    return render(request, "agencies/agreement.html", {
        "agency": agency, "form": form, "version": AgreementVersion.objects.first(),
        "status": agreements.LABELS[agreements.status_of(agency)], "status_code": agreements.status_of(agency),
        "is_director": AGENCY_DIRECTOR.permits(request),
        "signatures": agency.signatures.select_related("version"),
    })


@access(SIGNED_IN)  # narrowed below: the agency's own people, or the HMIS Lead
def agreement_pdf(request, pk):
    from django.core.exceptions import PermissionDenied

    from hmis.pdf import render_pdf

    from .models import AgreementSignature

    signature = get_object_or_404(AgreementSignature.objects.select_related("agency", "version"), pk=pk)
    if not acts_for_agency(request, signature.agency):
        raise PermissionDenied("Only the agency and the HMIS Lead print its agreement.")
    pdf = render_pdf("agencies/agreement_pdf.html", {"s": signature}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="partner-agreement-{signature.agency_id}-fy{signature.fiscal_year}.pdf"'
    return response


@access(SYSTEM_ADMIN)
def agreements_admin(request):
    from . import agreements
    from .forms import AgreementPublishForm
    from .models import AgreementVersion

    form = AgreementPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.agreement_publish, actor=request.user, **form.cleaned_data):
            messages.success(request, "The new agreement version is published; agencies sign it at their next renewal.")
            return redirect("agreements_admin")
    rows = [(agency, agreements.LABELS[agreements.status_of(agency)], agreements.status_of(agency))
            for agency in Agency.objects.exclude(status=Agency.Status.TERMINATED).order_by("name")]
    return render(request, "agencies/agreements_admin.html", {
        "form": form, "versions": AgreementVersion.objects.all(), "rows": rows})


@access(SYSTEM_ADMIN)
def applications(request):
    from .forms import AccessApplicationForm
    from .models import AccessApplication

    form = AccessApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = run_service(form, services.application_record, actor=request.user, **form.cleaned_data)
        if application:
            messages.success(request, f"Application of {application.organization}: {application.get_status_display().lower()}.")
            return redirect("application_detail", application.pk)
    return render(request, "agencies/applications.html", {
        "form": form, "applications": AccessApplication.objects.all()[:100]})


@access(SYSTEM_ADMIN)
def application_detail(request, pk):
    from .forms import ApplicationDecisionForm, ApplicationReviewForm
    from .models import AccessApplication

    application = get_object_or_404(AccessApplication, pk=pk)
    review = ApplicationReviewForm(request.POST if request.POST.get("step") == "review" else None)
    decide = ApplicationDecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    if review.is_bound and review.is_valid():
        data = review.cleaned_data
        if run_service(review, services.application_review, actor=request.user, application=application,
                       criteria={c: True for c in data["criteria"]}, high_abuse_potential=data["high_abuse_potential"],
                       can_involved=data["can_involved"]):
            messages.success(request, f"Reviewed: {application.get_status_display().lower()}.")
            return redirect("application_detail", application.pk)
    if decide.is_bound and decide.is_valid():
        data = decide.cleaned_data
        if run_service(decide, services.application_decide, actor=request.user, application=application,
                       approve=data["decision"] == "approve", reason=data["reason"], mou_signed_on=data["mou_signed_on"],
                       steering=application.status == AccessApplication.Status.STEERING):
            messages.success(request, f"Decided: {application.get_status_display().lower()}.")
            return redirect("application_detail", application.pk)
    return render(request, "agencies/application_detail.html", {"a": application, "review": review, "decide": decide})
