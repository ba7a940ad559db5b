"""HUD reports in the browser: choose projects and dates, watch the background job's
progress (htmx polling), read the tables, follow any number to the clients it counts
(as visibility allows), download CSV (HUD layout) or PDF. Reporting-only licenses run
reports on their agency's projects but never open client pages (T3)."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agencies.models import Coc, Project
from consent.visibility import Viewer, visible_clients
from hmis.access import CLIENT_DATA, REPORTS, access, cocs_in_scope, is_lead, runs_lsa
from hmis.errors import PolicyError
from hmis.forms import DateInput, UswdsFormMixin

from . import services
from .forms import LsaFormMixin
from .hud import runner
from .hud import tables as hud
from .hud.hic_pit import coc_projects
from .models import ReportRun


class ReportForm(UswdsFormMixin, LsaFormMixin, forms.Form):
    """A project report (APR, CAPER, CE APR, Data Quality) takes projects and a period; the
    CoC's system reports take a CoC and a period (SPM) or the night of the count (HIC, PIT)."""

    kind = forms.ChoiceField(choices=ReportRun.Kind.choices, widget=forms.RadioSelect, label="Report")
    projects = forms.ModelMultipleChoiceField(Project.objects.none(), widget=forms.CheckboxSelectMultiple,
                                              required=False,
                                              help_text="For the APR, CAPER, CE APR and Data Quality report.")
    coc = forms.ModelChoiceField(Coc.objects.none(), required=False, label="Continuum of Care",
                                 help_text="For the SPM, HIC, PIT and LSA: every project of the CoC is counted.")
    start = forms.DateField(widget=DateInput(), label="Report start date", required=False,
                            help_text="Not for the HIC and PIT, which count one night.")
    end = forms.DateField(widget=DateInput(), label="Report end date", required=False)
    night = forms.DateField(widget=DateInput(), label="Night of the count", required=False,
                            help_text="For the HIC and PIT: a night in the last ten days of January.")

    def __init__(self, *args, projects=None, cocs=None, runs_lsa=False, **kwargs):
        super().__init__(*args, lsa_cocs=cocs if runs_lsa else None, **kwargs)
        self.runs_lsa = runs_lsa
        if not runs_lsa:  # the CoC's upload to HUD: the HMIS Lead's (hmis/access.py runs_lsa)
            self.fields["kind"].choices = [c for c in ReportRun.Kind.choices if c[0] != ReportRun.Kind.LSA]
        self.fields["projects"].queryset = projects
        self.fields["coc"].queryset = cocs if cocs is not None else Coc.objects.none()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        if kind in hud.SYSTEM_REPORTS:
            if not data.get("coc"):
                self.add_error("coc", "Choose the Continuum of Care to report on.")
            else:
                data["projects"] = coc_projects(data["coc"])
                if not data["projects"].exists():
                    self.add_error("coc", "This CoC has no projects to report on.")
        elif not data.get("projects"):
            self.add_error("projects", "Choose at least one project.")
        if kind == ReportRun.Kind.LSA:  # its scope, projects and period: reports/forms.py
            return self.clean_lsa(data)
        if kind in hud.ONE_NIGHT_REPORTS:
            if not data.get("night"):
                self.add_error("night", "Enter the night of the count.")
            else:
                data["start"] = data["end"] = data["night"]
            return data
        for name in ("start", "end"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"Enter the report {name} date.")
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data


def _projects_for(request):
    if is_lead(request):  # every agency's projects
        return Project.objects.select_related("agency").order_by("agency__name", "name")
    return Project.objects.filter(agency=request.agency).order_by("name")


def _system_projects_for(request):
    """The projects of the CoCs the person may run system reports on: every CoC for the
    HMIS Lead, else the CoCs of the agency they work for now (hmis/access.py)."""
    return Project.objects.filter(Q(coc__in=cocs_in_scope(request))
                                  | Q(coc_rows__coc_code__in=cocs_in_scope(request).values("code"))).distinct()


def _runs_for(request):
    if is_lead(request):
        return ReportRun.objects.all()
    return ReportRun.objects.filter(agency=request.agency)


@access(REPORTS)
def hud_reports(request):
    form = ReportForm(request.POST or None, projects=_projects_for(request), cocs=cocs_in_scope(request),
                      runs_lsa=runs_lsa(request))
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            report = services.start_hud_report(actor=request.user, agency=getattr(request, "agency", None),
                                               kind=data["kind"], projects=data["projects"], start=data["start"],
                                               end=data["end"], coc=data.get("coc"),
                                               lsa_scope=data.get("lsa_scope"))
        except PolicyError as refusal:  # the job service is down: nothing kept, the form keeps what was typed
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, "The report is running. This page shows its progress.")
            return redirect("reports:hud_report", report.pk)
    return render(request, "reports/hud_reports.html", {
        "form": form, "runs": _runs_for(request).select_related("requested_by")[:30]})


def _report(request, pk) -> ReportRun:
    return get_object_or_404(_runs_for(request), pk=pk)


@access(REPORTS)
@require_POST
def hud_run_again(request, pk):
    """A failed run, run again as a new run (reports/services.py says why): the same
    rule as starting a report, on a run the person may see."""
    report = _report(request, pk)
    try:
        allowed = _system_projects_for(request) if report.kind in hud.SYSTEM_REPORTS else _projects_for(request)
        again = services.run_report_again(actor=request.user, agency=getattr(request, "agency", None), report=report,
                                          allowed_projects=allowed)
    except PolicyError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("reports:hud_report", report.pk)
    messages.success(request, "The report is running again. This page shows its progress.")
    return redirect("reports:hud_report", again.pk)


@access(REPORTS)
def hud_report(request, pk):
    report = _report(request, pk)
    context = {"report": report}
    if report.kind == ReportRun.Kind.LSA and report.status == ReportRun.Status.DONE:
        lsa_report = next((t for t in report.tables if t["code"] == "LSAReport"), None)
        if lsa_report and lsa_report["rows"]:  # one row: its columns down the page
            label, cells = lsa_report["rows"][0]
            values = [label, *[c["v"] for c in cells]]
            context["lsa_report_pairs"] = list(zip(lsa_report["columns"], values, strict=True))
        context["lsa_blocking"] = any(p.get("blocking") for p in report.checks)
    return render(request, "reports/hud_report.html", context)


@access(REPORTS)
def hud_progress(request, pk):
    """Polled by htmx while the job runs; tells the page to reload once it is done."""
    report = _report(request, pk)
    response = render(request, "reports/_hud_progress.html", {"report": report})
    if report.status in (ReportRun.Status.DONE, ReportRun.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


@access(REPORTS)
def hud_cell(request, pk, code, row, column):
    """The clients one number counts. Links to client pages only for those the viewer
    may open; reporting-only users see Client IDs alone (T3)."""
    report = _report(request, pk)
    table = next((t for t in report.tables if t["code"] == code), None)
    try:
        label, cells = table["rows"][row]
        cell = cells[column]
    except (TypeError, IndexError):
        raise Http404("No such cell.") from None
    viewer = Viewer.from_request(request)
    from clients.models import Client

    openable = set()
    if CLIENT_DATA.permits(request):  # administrators included
        openable = set(visible_clients(viewer, Client.objects.filter(client_id__in=cell["ids"]))
                       .values_list("client_id", flat=True))
    from clients.models import format_client_id

    clients = [(client_id, format_client_id(client_id), client_id in openable) for client_id in cell["ids"]]
    return render(request, "reports/hud_cell.html", {
        "report": report, "table": table, "label": label, "column": table["columns"][column + 1], "cell": cell,
        "clients": clients})


@access(REPORTS)
def hud_table_csv(request, pk, code):
    report = _report(request, pk)
    table = next((t for t in report.tables if t["code"] == code), None)
    if table is None:
        raise Http404("No such table.")
    response = HttpResponse(runner.table_csv(table, exact=report.kind == ReportRun.Kind.LSA), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{code}.csv"'
    return response


@access(REPORTS)
def hud_csv_zip(request, pk):
    report = _report(request, pk)
    response = HttpResponse(runner.csv_zip(report), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{report.kind}-{report.pk}-csv.zip"'
    return response


@access(REPORTS)
def hud_pdf(request, pk):
    report = _report(request, pk)
    if report.kind == ReportRun.Kind.LSA:
        raise Http404("The LSA is HUD's CSV upload: download its zip.")
    response = HttpResponse(runner.pdf(report, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.kind}-{report.pk}.pdf"'
    return response
