"""HUD reports (APR, CAPER, DQ) on a hand-built data set whose expected values are
stated and explained here; background job with progress; downloads; T3."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from clients.models import Client
from enrollments.models import Enrollment
from reports.hud import runner
from reports.models import ReportRun
from tests.clients.states import make_client

pytestmark = pytest.mark.django_db
START, END = date(2026, 1, 1), date(2026, 6, 30)


@pytest.fixture
def families(tenancy):
    """In A Shelter (emergency shelter), reporting period 01/01/2026 to 06/30/2026:
    - Household H1: Ada (born 1980, head) and her son Ben (born 2020), 02/01 to 03/01/2026,
      exit to a rental without subsidy (410, permanent): two leavers, 28 days.
    - Household H2: Cal (born 1990, veteran, alone) since 01/01/2025: a stayer of 545 days.
    - Household H3: Dee (head, date of birth not collected) since 05/01/2026: 60 days,
      age unknown, so her household type is unknown.
    - Eve left on 12/01/2025, before the period: not counted anywhere."""
    t = tenancy
    def person(first, born, ssn, **extra):
        client = make_client(t.worker_a, project=t.shelter_a, first=first, last="Testcase", dob=born or date(1985, 1, 1),
                             ssn=ssn)
        if extra:
            Client.objects.filter(pk=client.pk).update(**extra)
        return client

    ada = person("Ada", date(1980, 3, 3), "312450001")
    ben = person("Ben", date(2020, 4, 4), "312450002")
    cal = person("Cal", date(1990, 5, 5), "312450003", veteran_status=1)
    dee = person("Dee", None, "312450004", dob=None, dob_data_quality=99)
    eve = person("Eve", date(1970, 6, 6), "312450005")

    def stay(client, household, head, entry, exit_date=None, destination=None):
        return Enrollment.objects.create(
            client=client, project=t.shelter_a, household_id=household, relationship_to_hoh=1 if head else 2,
            enrollment_coc=t.coc1.code, entry_date=entry, information_date=entry, exit_date=exit_date,
            destination=destination, disabling_condition=0, entered_by=t.worker_a, agency=t.agency_a)

    stay(ada, "H1", True, date(2026, 2, 1), date(2026, 3, 1), 410)
    stay(ben, "H1", False, date(2026, 2, 1), date(2026, 3, 1), 410)
    stay(cal, "H2", True, date(2025, 1, 1))
    stay(dee, "H3", True, date(2026, 5, 1))
    stay(eve, "H4", True, date(2025, 6, 1), date(2025, 12, 1), 410)
    return {"ada": ada, "ben": ben, "cal": cal, "dee": dee, "eve": eve}


def run(t, kind="apr"):
    report = ReportRun.objects.create(kind=kind, start=START, end=END, requested_by=t.admin)
    report.projects.set([t.shelter_a])
    return runner.run(report)


def table(report, code):
    found = next(t for t in report.tables if t["code"] == code)
    return {label: [c["v"] for c in cells] for label, cells in found["rows"]}


def test_q5a_report_validations(tenancy, families):
    q = table(run(tenancy), "Q5a")
    # A shelter only: column C (before the street outreach engagement filter) equals column B.
    assert q["Total number of persons served"] == [4, 4]             # Ada, Ben, Cal, Dee (not Eve)
    assert q["Number of adults (age 18 or over)"] == [2, 2]          # Ada, Cal
    assert q["Number of children (under age 18)"] == [1, 1]          # Ben
    assert q["Number of persons with unknown age"] == [1, 1]         # Dee
    assert q["Number of leavers"] == [2, 2]                          # Ada, Ben
    assert q["Number of adult leavers"] == [1, 1]                    # Ada
    assert q["Number of adult and head of household leavers"] == [1, 1]
    assert q["Number of stayers"] == [2, 2]                          # Cal, Dee
    assert q["Number of adult stayers"] == [1, 1]                    # Cal
    assert q["Number of veterans"] == [1, 1]                         # Cal
    assert q["Number of adult heads of household"] == [2, 2]         # Ada, Cal
    assert q["Number of child and unknown-age heads of household"] == [1, 1]  # Dee
    assert q["Heads of households and adult stayers in the project 365 days or more"] == [1, 1]  # Cal, 545 days


def test_q7a_q8a_persons_and_households_by_household_type(tenancy, families):
    report = run(tenancy)
    q7 = table(report, "Q7a")
    # columns: Total, Without Children, With Children and Adults, With Only Children, Unknown Household Type
    assert q7["Adults"] == [2, 1, 1, 0, 0]        # Cal alone; Ada with Ben
    assert q7["Children"] == [1, 0, 1, 0, 0]      # Ben
    assert q7["Data Not Collected"] == [1, 0, 0, 0, 1]  # Dee
    assert q7["Total"] == [4, 1, 2, 0, 1]
    q8 = table(report, "Q8a")
    assert q8["Total Households"] == [3, 1, 1, 0, 1]  # H1, H2, H3


def test_q22a1_length_of_participation_and_q23c_destinations(tenancy, families):
    report = run(tenancy)
    q22 = table(report, "Q22a1")
    assert q22["30 days or less"] == [2, 2, 0]     # Ada and Ben, 28 days
    # Stayers count to the report end + 1 day (HUD's Glossary): Dee, 05/01 to 06/30 = 61 days
    assert q22["61 to 90 days"] == [1, 0, 1]
    assert q22["366 to 730 days (1-2 Yrs)"] == [1, 0, 1]  # Cal, 01/01/2025 to 06/30/2026 = 546 days
    assert q22["Total"] == [4, 2, 2]
    q23 = table(report, "Q23c")
    assert q23["Rental by client, no ongoing housing subsidy"] == [2, 0, 2, 0, 0]  # Ada and Ben, 410
    assert q23["Total"] == [2, 0, 2, 0, 0]
    assert q23["Percentage"][0] == "100.00%"


def test_q6_data_quality(tenancy, families):
    report = run(tenancy, "dq")
    assert [t["code"] for t in report.tables] == ["Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f"]
    q6a = table(report, "Q6a")
    assert q6a["Date of Birth"][1] == 1          # Dee's date of birth is missing
    assert q6a["Date of Birth"][4] == "25.00%"   # 1 of 4
    q6c = table(report, "Q6c")
    # Total column: no start assessment for Ada, Cal, Dee (adults or heads), each missing.
    assert q6c["Income and Sources (4.02) at Start"][1:4] == [3, 0, 3]


def test_every_cell_links_to_the_clients_it_counts_as_visibility_allows(tenancy, families, signed_in):
    report = run(tenancy)
    report.agency = tenancy.agency_a
    report.save()
    q5a_rows = next(t for t in report.tables if t["code"] == "Q5a")["rows"]
    assert set(q5a_rows[0][1][0]["ids"]) == {families[k].client_id for k in ("ada", "ben", "cal", "dee")}
    page = signed_in(tenancy.worker_a).get(reverse("reports:hud_cell", args=[report.pk, "Q5a", 9, 0]))  # veterans
    assert reverse("clients:detail", args=[families["cal"].client_id]) in page.content.decode()


def test_t3_reporting_only_users_run_reports_but_never_get_client_links(tenancy, signed_in, django_capture_on_commit_callbacks):
    from hmis.celery import app
    from tests.clients.states import make_client as mk

    housed = mk(tenancy.worker_b, project=tenancy.housing_b, first="Hope", ssn="312450009")
    Enrollment.objects.create(client=housed, project=tenancy.housing_b, household_id="HB", relationship_to_hoh=1,
                              enrollment_coc=tenancy.coc1.code, entry_date=date(2026, 3, 1), information_date=date(2026, 3, 1),
                              entered_by=tenancy.worker_b, agency=tenancy.agency_b)
    reporter = signed_in(tenancy.reporter_b)
    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = reporter.post(reverse("reports:hud_reports"), {
                "kind": "caper", "projects": [tenancy.housing_b.pk], "start": START.isoformat(), "end": END.isoformat()})
    finally:
        app.conf.task_always_eager = was_eager
    report = ReportRun.objects.get()
    assert response.url == reverse("reports:hud_report", args=[report.pk]) and report.status == "done"
    page = reporter.get(reverse("reports:hud_report", args=[report.pk])).content.decode()
    assert "Q5a: Report Validations Table" in page
    cell = reporter.get(reverse("reports:hud_cell", args=[report.pk, "Q5a", 0, 0])).content.decode()
    assert housed.display_id in cell and reverse("clients:detail", args=[housed.client_id]) not in cell
    assert reporter.get(reverse("clients:detail", args=[housed.client_id])).status_code == 403
    # another agency's projects are not offered, and its reports are not found
    response = reporter.post(reverse("reports:hud_reports"), {"kind": "apr", "projects": [tenancy.shelter_a.pk],
                                                              "start": START.isoformat(), "end": END.isoformat()})
    assert b"Select a valid choice" in response.content
    assert signed_in(tenancy.worker_a).get(reverse("reports:hud_report", args=[report.pk])).status_code == 404


def test_progress_is_polled_until_done(tenancy, families, signed_in):
    report = ReportRun.objects.create(kind="apr", start=START, end=END, requested_by=tenancy.admin)
    report.projects.set([tenancy.shelter_a])
    admin = signed_in(tenancy.admin)
    page = admin.get(reverse("reports:hud_progress", args=[report.pk]))
    assert b'hx-trigger="every 1s"' in page.content and "HX-Refresh" not in page
    runner.run(report)
    page = admin.get(reverse("reports:hud_progress", args=[report.pk]))
    assert page["HX-Refresh"] == "true"


def test_downloads_csv_in_hud_layout_and_pdf(tenancy, families, signed_in):
    report = run(tenancy)
    admin = signed_in(tenancy.admin)
    q5a = admin.get(reverse("reports:hud_table_csv", args=[report.pk, "Q5a"]))
    assert q5a["Content-Disposition"].endswith('filename="Q5a.csv"')
    lines = list(csv.reader(io.StringIO(q5a.content.decode())))
    assert lines[0] == ["Category", "Count of Clients for DQ", "Count of Clients"]
    assert lines[1] == ["Total number of persons served", "4", "4"]
    archive = zipfile.ZipFile(io.BytesIO(admin.get(reverse("reports:hud_csv_zip", args=[report.pk])).content))
    # Every table of the FY2026 CoC APR (reports/hud/SPEC_APR_CAPER.md 6.1), HUD's file names.
    assert sorted(archive.namelist()) == sorted(f"{c}.csv" for c in [
        "Q4a", "Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f", "Q7a", "Q7b", "Q8a", "Q8b", "Q9a", "Q9b", "Q11",
        "Q12", "Q13a1", "Q13b1", "Q13c1", "Q13a2", "Q13b2", "Q13c2", "Q14a", "Q14b", "Q15", "Q16", "Q17", "Q18",
        "Q19a1", "Q19a2", "Q19b", "Q20a", "Q20b", "Q21", "Q22a1", "Q22b", "Q22c", "Q22e", "Q22f", "Q22g", "Q23c",
        "Q23d", "Q23e", "Q24b", "Q24e", "Q25a", "Q25b", "Q25d", "Q25i", "Q25j", "Q26a", "Q26b", "Q26d", "Q26e",
        "Q27a", "Q27b", "Q27d", "Q27e", "Q27f1", "Q27f2", "Q27g", "Q27h", "Q27i", "Q27j", "Q27k", "Q27l", "Q27m"])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(admin.get(reverse("reports:hud_pdf", args=[report.pk])).content)).pages)
    assert "Annual Performance Report" in text and "Q23c" in text


def test_hud_report_command_writes_one_csv_per_table(tenancy, families, tmp_path):
    call_command("hud_report", "apr", "--projects", str(tenancy.shelter_a.pk), "--start", START.isoformat(),
                 "--end", END.isoformat(), "--out", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "Q5a.csv").read_text().splitlines()[1] == "Total number of persons served,4,4"
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "report.html").exists()


def test_c4_opt_out_tally_by_quarter_for_utilization_reports(tenancy, signed_in):
    from consent.models import OptOutTally

    OptOutTally.objects.create(project=tenancy.shelter_a, date=date(2026, 2, 3), count=2)
    OptOutTally.objects.create(project=tenancy.shelter_a, date=date(2026, 3, 9), count=1)
    OptOutTally.objects.create(project=tenancy.shelter_a, date=date(2026, 8, 1), count=4)
    OptOutTally.objects.create(project=tenancy.housing_b, date=date(2026, 8, 1), count=5)  # another agency
    director = signed_in(tenancy.director_a)
    page = director.get(reverse("consent:opt_out_tally") + "?year=2026").content.decode()
    assert "A Shelter" in page and "B Housing" not in page
    lines = director.get(reverse("consent:opt_out_tally") + "?year=2026&download=csv").content.decode().splitlines()
    assert lines[1] == "Agency A,A Shelter,3,0,4,0,7"


def test_e3_deidentified_extract_has_no_identifiers_and_stable_keys(tenancy, families, signed_in):
    from tests.factories import LicenseFactory, UserFactory

    researcher = UserFactory(username="researcher")
    LicenseFactory(user=researcher, agency=tenancy.agency_b, access_level="researcher")
    client = signed_in(researcher)
    form = {"coc": tenancy.coc1.pk, "start": START.isoformat(), "end": END.isoformat()}
    first = zipfile.ZipFile(io.BytesIO(client.post(reverse("reports:extract"), form).content))
    second = zipfile.ZipFile(io.BytesIO(client.post(reverse("reports:extract"), form).content))
    everything = " ".join(first.read(n).decode() for n in first.namelist() if n.endswith(".csv"))
    for person in families.values():
        assert person.client_id not in everything
    for secret in ("Testcase", "Ada", "1980-03-03", "312450001", "H1"):
        assert secret not in everything
    assert first.read("Persons.csv") == second.read("Persons.csv")  # stable pseudonymous keys
    persons = list(csv.DictReader(io.StringIO(first.read("Persons.csv").decode())))
    assert sorted(p["AgeAtFirstEntry"] for p in persons) == ["", "34", "45", "5"]  # Cal was 34 at entry; Dee's age is unknown
    # researchers get only this: no client pages, no reports
    assert client.get(reverse("clients:search")).status_code == 403
    assert client.get(reverse("reports:hud_reports")).status_code == 403
    assert signed_in(tenancy.worker_a).get(reverse("reports:extract")).status_code == 403


def test_h4_percentages_are_decimal_fractions_with_four_places_in_huds_csv():
    """HUD's CSV layout writes a percentage as a fraction with four places (Data Lab's writer,
    what Sage reads; SPEC_APR_CAPER.md 6.5); the page keeps "12.34%". A negative change (the
    SPM's difference column) stays a number, not text a spreadsheet would be warned about."""
    from reports.hud.runner import sage_value, table_csv

    assert [str(sage_value(v)) for v in ("12.34%", "100.00%", "0.00%", "-5.50%", 7, "", "Total", "12.5%")] == [
        "0.1234", "1.0000", "0.0000", "-0.0550", "7", "", "Total", "12.5%"]
    table = {"columns": ["", "Count", "Rate"], "rows": [["Leavers", [{"v": 3, "ids": []}, {"v": "-5.50%", "ids": []}]]]}
    assert table_csv(table) == ",Count,Rate\r\nLeavers,3,-0.0550\r\n"
