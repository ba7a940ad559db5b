"""HMIS CSV pages: the export (HMIS Lead and agency administrators) and the import
(HMIS Lead). Heavy lifting is in reports/hmis_csv/."""

import tempfile
import zipfile

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from agencies.models import Agency, Coc, Project
from consent.visibility import Viewer
from hmis import dates
from hmis.access import EXTRACTS, HMIS_CSV_EXPORT, SYSTEM_ADMIN, access, agency_scope, cocs_in_scope
from hmis.errors import PolicyError
from hmis.forms import DateInput, UswdsFormMixin

from . import import_jobs
from .hmis_csv.export import Scope, write_export
from .hmis_csv.importer import ZipTooLarge, check_zip_directory
from .models import ImportRun


class ExportForm(UswdsFormMixin, forms.Form):
    coc = forms.ModelChoiceField(Coc.objects.all(), required=False, label="CoC (all when empty)")
    agency = forms.ModelChoiceField(Agency.objects.all(), required=False, label="Agency (all when empty)")
    projects = forms.ModelMultipleChoiceField(Project.objects.select_related("agency"), required=False,
                                              widget=forms.CheckboxSelectMultiple, label="Projects (all when none ticked)")
    start = forms.DateField(widget=DateInput(), required=False, label="Stays active from")
    end = forms.DateField(widget=DateInput(), required=False, label="to")
    hashed = forms.BooleanField(required=False, label="Hash names and SSN (HashStatus 4, SHA-256)")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:  # an agency exports its own projects only
            del self.fields["coc"], self.fields["agency"]
            self.fields["projects"].queryset = Project.objects.filter(agency=agency)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end is before the start.")
        return data


@access(HMIS_CSV_EXPORT)  # 404 to everyone else
def export_page(request):
    agency = agency_scope(request)  # None for the HMIS Lead; an agency exports its own projects
    form = ExportForm(request.POST if request.method == "POST" else None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = Scope(viewer=Viewer.from_request(request), coc=data.get("coc"), agency=data.get("agency") or agency,
                      projects=list(data["projects"]), start=data["start"], end=data["end"], hashed=data["hashed"],
                      log_for=request.user)
        target = tempfile.TemporaryFile()
        write_export(scope, target)
        target.seek(0)
        return FileResponse(target, as_attachment=True, filename=f"hmis-csv-{dates.today():%Y%m%d}.zip",
                            content_type="application/zip")
    return render(request, "reports/export.html", {"form": form, "agency": agency})


class ImportForm(UswdsFormMixin, forms.Form):
    file = forms.FileField(label="HMIS CSV export (zip)")
    sharing = forms.ChoiceField(choices=ImportRun.Sharing.choices, initial=ImportRun.Sharing.LOCKED,
                                widget=forms.RadioSelect,
                                label="HMIS CSV carries no consent. The imported clients are")
    create_cocs = forms.BooleanField(
        required=False, label="Create the CoCs the export names",
        help_text="CoC codes in ProjectCoC.csv not set up in this HMIS are created under the HMIS Lead, with the "
                  "default policy switches. Unticked, each is listed as a problem and nothing is loaded.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("Upload the export as a .zip file.")
        # The zip's directory is checked here, so a zip bomb is refused on the form; the
        # importer checks again while unpacking (declared sizes can lie).
        try:
            with zipfile.ZipFile(upload) as archive:
                check_zip_directory(archive)
        except ZipTooLarge as problem:
            raise forms.ValidationError(str(problem)) from None
        except zipfile.BadZipFile:
            raise forms.ValidationError("That file is not a zip file. Upload the export as a .zip file.") from None
        upload.seek(0)
        return upload


@access(SYSTEM_ADMIN)
def import_page(request):
    """The upload never runs in the request: the zip is kept and checked and loaded by a job
    (reports/import_jobs.py), whose page shows its progress."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = import_jobs.queued_or_refused(import_jobs.start_import(
                actor=request.user, upload=data["file"], sharing=data["sharing"], create_cocs=data["create_cocs"]))
        except PolicyError as refusal:  # the job service is down: nothing kept
            messages.error(request, " ".join(refusal.messages))
        else:
            return redirect("reports:import_run", run.pk)
    return render(request, "reports/import.html", {"form": form, "runs": ImportRun.objects.select_related("run_by")[:20]})


def _import_context(run: ImportRun) -> dict:
    return {"run": run, "warning_summary": run.warning_summary(),
            "progress": import_jobs.progress_of(run) if run.in_progress else None}


@access(SYSTEM_ADMIN)
def import_run(request, pk):
    run = get_object_or_404(ImportRun.objects.select_related("run_by"), pk=pk)
    return render(request, "reports/import_run.html", _import_context(run))


@access(SYSTEM_ADMIN)
def import_progress(request, pk):
    """Polled by htmx while the job runs; tells the page to reload once it has ended."""
    run = get_object_or_404(ImportRun, pk=pk)
    response = render(request, "reports/_import_progress.html", _import_context(run))
    if not run.in_progress:
        response["HX-Refresh"] = "true"
    return response


@access(SYSTEM_ADMIN)
def import_run_warnings(request, pk):
    """H3: the run's warnings as CSV (file, line, column, message), for the source system's staff to
    fix at home. The file is named by the run's number only."""
    from hmis import csvsafe

    run = get_object_or_404(ImportRun, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hmis-csv-import-{run.pk}-warnings.csv"'
    # Messages quote the file's own values: a cell a spreadsheet would run is neutralized.
    writer = csvsafe.writer(response, lineterminator="\r\n")
    writer.writerow(["File", "Line", "Column", "Message"])
    writer.writerows([file, line, column, message] for file, line, column, message, _ in run.warnings)
    return response




class ExtractForm(UswdsFormMixin, forms.Form):
    coc = forms.ModelChoiceField(Coc.objects.none(), label="CoC")
    start = forms.DateField(widget=DateInput(), label="Stays active from")
    end = forms.DateField(widget=DateInput(), label="to")

    def __init__(self, *args, cocs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coc"].queryset = cocs

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end is before the start.")
        return data


@access(EXTRACTS)
def extract_page(request):
    """E3: the HMIS Lead takes extracts of any CoC; a researcher, of their agency's CoCs."""
    from .extract import write_extract

    form = ExtractForm(request.POST or None, cocs=cocs_in_scope(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = write_extract([data["coc"]], data["start"], data["end"])
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="deidentified-{data["coc"].code}-{data["start"]:%Y%m%d}.zip"'
        return response
    return render(request, "reports/extract.html", {"form": form})
