"""Issue 20 (H4): HUD's LSA upload from `manage.py hud_report lsa` and from the report page:
exactly HUD's 12 files with HUD's headers (layout.py, from HUD's LSA data dictionary), no
value missing where the dictionary says a column is not nullable, one ReportID across the
files, the zip, HUD's upload checks listed, only the HMIS Lead running it, and bad input
refused plainly. The counts themselves are checked section by section in the other
test_lsa_*.py files on their hand-built households."""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Agency, Project, ProjectCoc
from enrollments.models import Enrollment
from reports.hud.lsa import layout
from reports.models import ReportRun
from tests.reports.test_hud_rules import person, stay
from tests.reports.test_system_reports import start

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def served(tenancy):
    """Three households in CoC TS-500 during FY2026 (10/01/2025-09/30/2026), so every LSA file
    has rows: Ann alone in A Shelter from 11/01/2025 (exited 12/01/2025 to a rental, 410); Bo
    with his daughter Cy (born 2015) in B Housing (PSH) from 01/05/2026, moved in 02/01/2026; and
    Di in C Shelter, which is in TS-501, so not in TS-500's LSA. Every project has its CoC record
    (2.03: geocode, ZIP, geography type), as a CoC's projects do."""
    t = tenancy
    for project in Project.objects.select_related("coc"):
        ProjectCoc.objects.create(project=project, coc_code=project.coc.code, geocode="290001", zip_code="63101",
                                  geography_type=1)
    ann = person(t, "Ann", D(1980, 1, 1))
    stay(t, ann, t.shelter_a, "HA", D(2025, 11, 1), D(2025, 12, 1), destination=410, living_situation=116)
    bo, cy = person(t, "Bo", D(1985, 5, 5)), person(t, "Cy", D(2015, 3, 3))
    stay(t, bo, t.housing_b, "HB", D(2026, 1, 5), move_in_date=D(2026, 2, 1), living_situation=101)
    stay(t, cy, t.housing_b, "HB", D(2026, 1, 5), head=False, move_in_date=D(2026, 2, 1))
    di = person(t, "Di", D(1990, 2, 2))
    Enrollment.objects.filter(pk=stay(t, di, t.shelter_c, "HD", D(2026, 3, 1)).pk).update(enrollment_coc="TS-501")
    return t


def files_in(directory):
    return {path.stem: list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
            for path in directory.glob("*.csv")}


def test_h4_lsa_command_writes_hud_files_and_zip(served, tmp_path):
    # The upload is machine interchange, written exactly: a name a spreadsheet would read as a
    # formula keeps its first character (the report tables people open get a ' before it).
    Agency.objects.filter(pk=served.agency_a.pk).update(name="=Agency A")
    out = io.StringIO()
    call_command("hud_report", "lsa", "--coc", "TS-500", "--start", "2025-10-01", "--end", "2026-09-30",
                 "--out", str(tmp_path), stdout=out)
    run = ReportRun.objects.get()
    assert (run.kind, run.coc, run.lsa_scope, run.status) == ("lsa", served.coc1, 1, "done")
    # exactly HUD's files, each with HUD's header in HUD's order
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted(f"{name}.csv" for name in layout.FILES)
    for name, columns in layout.FILES.items():
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == list(columns), name
        assert len(columns) == layout.COLUMN_COUNTS[name]
    files = files_in(tmp_path)
    # LSAReport: one row, the parameters given, LookbackDate = ReportStart - 7 years (spec 3.1)
    (report,) = files["LSAReport"]
    assert (report["ReportID"], report["ReportCoC"], report["ReportStart"], report["ReportEnd"], report["LSAScope"],
            report["LookbackDate"]) == (str(run.pk), "TS-500", "2025-10-01", "2026-09-30", "1", "2018-10-01")
    assert len(report["ReportDate"]) == 19  # 'yyyy-mm-dd hh:mm:ss'
    # one ReportID / ExportID across the upload, and no value missing where HUD requires one
    for name, rows in files.items():
        key = "ReportID" if name.startswith("LSA") else "ExportID"
        for number, row in enumerate(rows, start=1):
            assert row[key] == str(run.pk), (name, number)
            empty = {c for c, v in row.items() if v == ""} - layout.NULLABLE.get(name, set())
            assert not empty, (name, number, empty)
    # the people: Ann, Bo and Cy are TS-500's (Di's shelter is TS-501's)
    assert sum(int(row["RowTotal"]) for row in files["LSAPerson"]) == 3
    assert {row["ProjectName"] for row in files["Project"]} >= {"A Shelter", "B Housing"}
    assert "C Shelter" not in {row["ProjectName"] for row in files["Project"]}
    assert "=Agency A" in {row["OrganizationName"] for row in files["Organization"]}
    # the zip holds the same 12 files
    (archive,) = tmp_path.glob("lsa-TS-500-20251001-20260930.zip")
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == sorted(f"{name}.csv" for name in layout.FILES)
        assert opened.read("LSAReport.csv") == (tmp_path / "LSAReport.csv").read_bytes()
    assert "Wrote the LSA's 12 files" in out.getvalue()


def test_h4_lsa_hic_scope_writes_household_and_exit_files_with_headers_only(served, tmp_path):
    """3.1 and 2: a HIC run (LSAScope 3) has ReportStart = ReportEnd = the count's date; HDX takes
    LSAHousehold and LSAExit with their headers only."""
    call_command("hud_report", "lsa", "--coc", "TS-500", "--scope", "hic", "--date", "2026-01-28",
                 "--out", str(tmp_path), stdout=io.StringIO())
    files = files_in(tmp_path)
    (report,) = files["LSAReport"]
    assert (report["ReportStart"], report["ReportEnd"], report["LSAScope"]) == ("2026-01-28", "2026-01-28", "3")
    assert files["LSAHousehold"] == [] and files["LSAExit"] == []
    assert (tmp_path / "LSAHousehold.csv").read_text().splitlines() == [",".join(layout.FILES["LSAHousehold"])]


@pytest.mark.parametrize("args, message", [
    (["--start", "2025-10-01", "--end", "2026-09-30"], "lsa needs --coc CODE"),
    (["--coc", "XX-999", "--start", "2025-10-01", "--end", "2026-09-30"], "No CoC with code XX-999"),
    (["--coc", "TS-500", "--start", "2017-10-01", "--end", "2018-09-30"], "on or after 10/01/2018"),
    (["--coc", "TS-500", "--start", "2024-10-01", "--end", "2026-09-30"], "at most one year"),
    (["--coc", "TS-500", "--scope", "hic", "--start", "2026-01-28", "--end", "2026-01-28"], "--scope hic takes --date"),
    (["--coc", "TS-500", "--scope", "project", "--start", "2025-10-01", "--end", "2026-09-30"],
     "--scope project needs --projects"),
])
def test_h4_lsa_command_refuses_bad_input_plainly(tenancy, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("hud_report", "lsa", *args, "--out", str(tmp_path), stdout=io.StringIO())
    assert not ReportRun.objects.exists()


def test_h4_the_lead_runs_the_lsa_from_the_page(served, signed_in, django_capture_on_commit_callbacks):
    t = served
    lead = signed_in(t.admin)
    assert "Longitudinal Systems Analysis (LSA)" in lead.get(reverse("reports:hud_reports")).content.decode()
    response = start(lead, django_capture_on_commit_callbacks,
                     {"kind": "lsa", "coc": t.coc1.pk, "start": "2025-10-01", "end": "2026-09-30"})
    run = ReportRun.objects.get()
    assert response.url == reverse("reports:hud_report", args=[run.pk]) and run.status == "done"
    assert (run.coc, run.lsa_scope, run.agency) == (t.coc1, 1, None)
    page = lead.get(reverse("reports:hud_report", args=[run.pk])).content.decode()
    # the data quality counts first, then the upload and its files
    assert page.index("Data quality (LSAReport)") < page.index("LSA upload for HDX 2.0 (zip)")
    assert "LSAPerson.csv" in page and "Affiliation.csv" in page
    archive = zipfile.ZipFile(io.BytesIO(lead.get(reverse("reports:hud_csv_zip", args=[run.pk])).content))
    assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in layout.FILES)
    assert lead.get(reverse("reports:hud_pdf", args=[run.pk])).status_code == 404  # HUD takes the CSVs
    # A period HUD's LSA cannot have is refused with the form kept
    refused = lead.post(reverse("reports:hud_reports"),
                        {"kind": "lsa", "coc": t.coc1.pk, "start": "2024-10-01", "end": "2026-09-30"})
    assert refused.status_code == 200 and "at most one year" in refused.content.decode()
    assert ReportRun.objects.count() == 1


def test_h4_only_the_lead_runs_the_lsa(served, signed_in, django_capture_on_commit_callbacks):
    t = served
    reporter = signed_in(t.reporter_b)
    assert "Longitudinal Systems Analysis" not in reporter.get(reverse("reports:hud_reports")).content.decode()
    response = reporter.post(reverse("reports:hud_reports"),
                             {"kind": "lsa", "coc": t.coc1.pk, "start": "2025-10-01", "end": "2026-09-30"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_h4_a_project_without_its_coc_record_still_counts_and_the_checks_say_what_is_missing(tenancy, tmp_path):
    """source.py: a project with no 2.03 record gets one from the CoC it is recorded in, without
    geocode, ZIP or geography type, so its clients are in the LSA and HUD's checks (flags 26, 28)
    name what the Lead must record before uploading."""
    t = tenancy
    stay(t, person(t, "Ann", D(1980, 1, 1)), t.shelter_a, "HA", D(2025, 11, 1), D(2025, 12, 1), destination=410)
    out = io.StringIO()
    call_command("hud_report", "lsa", "--coc", "TS-500", "--start", "2025-10-01", "--end", "2026-09-30",
                 "--out", str(tmp_path), stdout=out)
    files = files_in(tmp_path)
    assert sum(int(row["RowTotal"]) for row in files["LSAPerson"]) == 1
    shelter = next(row for row in files["Project"] if row["ProjectName"] == "A Shelter")
    coc_row = next(row for row in files["ProjectCoC"] if row["ProjectID"] == shelter["ProjectID"])
    assert (coc_row["CoCCode"], coc_row["Geocode"], coc_row["ZIP"]) == ("TS-500", "", "")
    run = ReportRun.objects.get()
    assert any(p["file"] == "ProjectCoC" and p["column"] == "Geocode" and p["blocking"] for p in run.checks)
    assert "HDX 2.0 would refuse this upload" in out.getvalue()


def test_h4_the_lead_runs_a_project_focused_lsa_from_the_page(served, signed_in, django_capture_on_commit_callbacks):
    """LSA spec 3.1: a project-focused LSA (LSAScope 2) covers the projects the user chooses, as
    `hud_report lsa --scope project --projects ...` does. Only A Shelter is chosen: its files hold Ann alone
    (Bo and Cy are B Housing's), Project.csv A Shelter alone, and HDX's flag 1 says it is for review only."""
    t = served
    lead = signed_in(t.admin)
    form = lead.get(reverse("reports:hud_reports")).content.decode()
    assert "Project-focused" in form and "A Shelter (TS-500)" in form and "C Shelter (TS-501)" in form
    assert "A Outreach (TS-500)" not in form  # not an ES, SH, TH, RRH or PSH project: not in an LSA (4.1)
    response = start(lead, django_capture_on_commit_callbacks,
                     {"kind": "lsa", "coc": t.coc1.pk, "lsa_scope": 2, "lsa_projects": [t.shelter_a.pk],
                      "start": "2025-10-01", "end": "2026-09-30"})
    run = ReportRun.objects.get()
    assert response.url == reverse("reports:hud_report", args=[run.pk]) and run.status == "done"
    assert (run.coc, run.lsa_scope, list(run.projects.all())) == (t.coc1, 2, [t.shelter_a])
    tables = {table["code"]: table for table in run.tables}
    report = dict(zip(tables["LSAReport"]["columns"][1:], [c["v"] for c in tables["LSAReport"]["rows"][0][1]],
                      strict=True))
    assert report["LSAScope"] == 2 and report["UnduplicatedClient"] == 1
    project_name = tables["Project"]["columns"].index("ProjectName") - 1
    assert [row[1][project_name]["v"] for row in tables["Project"]["rows"]] == ["A Shelter"]
    assert any(p["flag"] == 1 and not p["blocking"] for p in run.checks)
    page = lead.get(reverse("reports:hud_report", args=[run.pk])).content.decode()
    assert "TS-500, project-focused" in page


@pytest.mark.parametrize("data, field, message", [
    ({"lsa_scope": 2, "lsa_projects": ["shelter_c"]}, "lsa_projects",
     "Only projects of TS-500 can be chosen: C Shelter is not TS-500&#x27;s."),
    ({"lsa_scope": 2}, "lsa_projects", "Choose the projects of the project-focused LSA."),
    ({"lsa_scope": 1, "lsa_projects": ["shelter_a"]}, "lsa_projects",
     "Projects are chosen for a project-focused LSA only"),
    ({"lsa_scope": 3}, "night", "Enter the date of the count for an LSA for the HIC."),
])
def test_h4_a_bad_lsa_scope_choice_is_refused_plainly_and_keeps_what_was_typed(tenancy, signed_in, data, field,
                                                                                message):
    t = tenancy
    lead = signed_in(t.admin)
    post = {"kind": "lsa", "coc": t.coc1.pk, "start": "2025-10-01", "end": "2026-09-30", **data}
    post["lsa_projects"] = [getattr(t, name).pk for name in data.get("lsa_projects", [])]
    response = lead.post(reverse("reports:hud_reports"), post)
    assert response.status_code == 200 and not ReportRun.objects.exists()
    form = response.context["form"]
    assert form.errors[field] and message in response.content.decode()
    page = response.content.decode()
    for name in data.get("lsa_projects", []):  # the boxes ticked stay ticked
        assert re.search(rf'value="{getattr(t, name).pk}"[^>]*checked', page)
    assert re.search(rf'name="lsa_scope" value="{data["lsa_scope"]}"[^>]*checked', page)
    assert 'value="2025-10-01"' in page


def test_h4_the_lead_runs_an_lsa_for_the_hic_from_the_page(served, signed_in, django_capture_on_commit_callbacks):
    """3.1: for the HIC (LSAScope 3) ReportStart = ReportEnd = the date of the count, given as the night."""
    t = served
    lead = signed_in(t.admin)
    start(lead, django_capture_on_commit_callbacks,
          {"kind": "lsa", "coc": t.coc1.pk, "lsa_scope": 3, "night": "2026-01-28"})
    run = ReportRun.objects.get()
    assert (run.lsa_scope, run.start, run.end, run.status) == (3, D(2026, 1, 28), D(2026, 1, 28), "done")


def test_h4_another_report_keeps_no_lsa_scope(served, signed_in, django_capture_on_commit_callbacks):
    """The scope radios are posted with every report (one is ticked by default): only the LSA keeps one."""
    t = served
    lead = signed_in(t.admin)
    start(lead, django_capture_on_commit_callbacks,
          {"kind": "spm", "coc": t.coc1.pk, "lsa_scope": 1, "start": "2025-10-01", "end": "2026-09-30"})
    assert ReportRun.objects.get().lsa_scope is None


def test_h4_the_built_files_hold_hud_values_and_agree_with_each_other(served, tmp_path):
    """The files the LSA's steps build for Ann, Bo and Cy pass the valid-value checks (flag 112, lists.py) and
    the consistency checks of flags 290-462, 616-646 and 688-778 (checks.py)."""
    call_command("hud_report", "lsa", "--coc", "TS-500", "--start", "2025-10-01", "--end", "2026-09-30",
                 "--out", str(tmp_path), stdout=io.StringIO())
    checked = [p for p in ReportRun.objects.get().checks if p["flag"] is not None and (
        p["flag"] == 112 or 290 <= p["flag"] <= 462 or 616 <= p["flag"] <= 646 or 688 <= p["flag"] <= 778)]
    assert checked == []
