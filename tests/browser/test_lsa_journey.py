"""Journey of issue 20 (H4): the HMIS Lead runs HUD's LSA for CoC MO-500 from the HUD reports
page, waits for the job, reads HUD's upload checks and the data-quality counts first, and
downloads the zip for HDX 2.0: exactly HUD's 12 files, each with HUD's header (layout.py,
from HUD's LSA data dictionary), holding what the LSA's steps make for the demo CoC. An
agency's reporting-only user is not offered the LSA (hmis/access.py runs_lsa). axe checks
every page, at desktop width and at 375 px."""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from reports.hud.lsa import layout
from reports.models import ReportRun

from .conftest import sign_in_as, tick
from .test_spm_journey import demo, eager_celery  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
START, END = date(2025, 10, 1), date(2026, 9, 30)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_h4_lead_runs_the_lsa_and_downloads_the_upload(page, axe_clean, eager_celery, demo, tmp_path,  # noqa: F811
                                                      viewport):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in_as(page, "lead")
    page.goto(reverse("reports:hud_reports"))
    axe_clean(page)
    tick(page, "Longitudinal Systems Analysis (LSA)")
    page.get_by_label("Continuum of Care").select_option(str(demo.pk))
    page.get_by_label("Report start date").fill(START.isoformat())
    page.get_by_label("Report end date").fill(END.isoformat())
    page.get_by_role("button", name="Run the report").click()
    page.get_by_test_id("LSAReport").wait_for(timeout=180_000)  # the progress page reloads once the job is done
    axe_clean(page)
    report = ReportRun.objects.get()
    assert (report.kind, report.status, report.coc, report.lsa_scope) == ("lsa", "done", demo, 1)
    # The data-quality counts come before the files: the LSAReport row, a column a line
    assert page.get_by_test_id("LSAReport").get_by_role("row", name=re.compile("^ReportCoC")).inner_text().split()[-1] \
        == "MO-500"

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("LSA upload for HDX")).click()
    saved = tmp_path / "lsa.zip"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in layout.FILES)
        for name, columns in layout.FILES.items():
            rows = list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8"))))
            assert rows[0] == list(columns), name
        lsa_report = list(csv.DictReader(io.StringIO(archive.read("LSAReport.csv").decode("utf-8"))))
    assert len(lsa_report) == 1
    assert (lsa_report[0]["ReportID"], lsa_report[0]["ReportCoC"], lsa_report[0]["ReportStart"],
            lsa_report[0]["ReportEnd"], lsa_report[0]["LSAScope"]) == (str(report.pk), "MO-500", "2025-10-01",
                                                                       "2026-09-30", "1")


def test_h4_an_agency_reporter_is_not_offered_the_lsa(page, demo):  # noqa: F811
    sign_in_as(page, "reporter_b")
    page.goto(reverse("reports:hud_reports"))
    assert page.get_by_label("System Performance Measures (SPM)").count() == 1
    assert page.get_by_label("Longitudinal Systems Analysis (LSA)").count() == 0


def test_h4_lead_runs_a_project_focused_lsa_and_a_wrong_project_is_refused(
        page, axe_clean, eager_celery, demo):  # noqa: F811
    """LSA spec 3.1: a project-focused LSA (LSAScope 2) for projects the Lead chooses, only among the chosen
    CoC's. A project of MO-501 chosen for MO-500's LSA is refused with a clear message, the choices kept;
    then the LSA runs for Riverbend Emergency Shelter alone and HDX's flag 1 says it is for review only."""
    sign_in_as(page, "lead")
    page.goto(reverse("reports:hud_reports"))
    tick(page, "Longitudinal Systems Analysis (LSA)")
    page.get_by_label("Continuum of Care").select_option(str(demo.pk))
    tick(page, "Project-focused")
    tick(page, "Riverbend Emergency Shelter (MO-500)")
    tick(page, "Prairie Night Shelter (MO-501)")
    page.get_by_label("Report start date").fill(START.isoformat())
    page.get_by_label("Report end date").fill(END.isoformat())
    page.get_by_role("button", name="Run the report").click()
    page.get_by_text("Only projects of MO-500 can be chosen: Prairie Night Shelter is not MO-500's.").first.wait_for()
    axe_clean(page)
    assert not ReportRun.objects.exists()
    # what was typed is kept: the scope, both boxes, the dates
    assert page.get_by_label("Project-focused", exact=False).is_checked()
    assert page.get_by_label("Riverbend Emergency Shelter (MO-500)").is_checked()
    assert page.get_by_label("Prairie Night Shelter (MO-501)").is_checked()
    assert page.get_by_label("Report start date").input_value() == START.isoformat()
    tick(page, "Prairie Night Shelter (MO-501)")  # untick the other CoC's project
    page.get_by_role("button", name="Run the report").click()
    page.get_by_test_id("LSAReport").wait_for(timeout=180_000)
    axe_clean(page)
    report = ReportRun.objects.get()
    assert (report.lsa_scope, [p.name for p in report.projects.all()]) == (2, ["Riverbend Emergency Shelter"])
    assert page.get_by_test_id("LSAReport").get_by_role("row", name=re.compile("^LSAScope")).inner_text().split()[-1] \
        == "2"
    flag_one = page.get_by_test_id("lsa-checks").get_by_role("row", name=re.compile("for review only"))
    assert flag_one.inner_text().split()[0] == "Warning"
