"""Journey of issue 19 (H4, T3): a reporting-only user of Agency B (reporter_b) runs the
System Performance Measures for CoC MO-500 from the HUD reports page, waits for the job and
downloads the CSVs. The CoC select offers only Agency B's CoC (MO-500), not MO-501. The
figures are the SPM builder's (tests/reports/test_spm*.py check them cell by cell); here
the downloaded files must be exactly the tables the builder makes for the CoC's projects
and the same period, one CSV per table in HUD's layout. axe checks every page, at desktop
width and at 375 px."""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Coc
from hmis.celery import app
from reports.hud import runner, tables
from reports.hud.hic_pit import coc_projects
from reports.models import ReportRun

from .conftest import sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
START, END = date(2025, 10, 1), date(2026, 9, 30)


@pytest.fixture
def eager_celery():
    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = was_eager


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return Coc.objects.get(code="MO-500")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_h4_reporter_runs_the_spm_for_the_coc_and_downloads_the_csvs(page, axe_clean, eager_celery, demo, tmp_path,
                                                                    viewport):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in_as(page, "reporter_b")
    if viewport:  # the phone's menu folds the navigation away: go to the page by its address
        page.goto(reverse("reports:hud_reports"))
    else:
        page.get_by_role("link", name="HUD reports").click()
    axe_clean(page)
    coc = page.get_by_label("Continuum of Care")
    offered = coc.locator("option").all_inner_texts()
    assert any("MO-500" in o for o in offered) and not any("MO-501" in o for o in offered)
    tick(page, "System Performance Measures (SPM)")
    coc.select_option(str(demo.pk))
    page.get_by_label("Report start date").fill(START.isoformat())
    page.get_by_label("Report end date").fill(END.isoformat())
    page.get_by_role("button", name="Run the report").click()
    page.get_by_test_id("3.2").wait_for(timeout=120_000)  # the progress page reloads itself once the job is done
    axe_clean(page)
    report = ReportRun.objects.get()
    assert (report.kind, report.status, report.start, report.end) == ("spm", "done", START, END)
    assert set(report.projects.all()) == set(coc_projects(demo))

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("All tables as CSV")).click()
    assert info.value.suggested_filename.endswith("-csv.zip")
    saved = tmp_path / "spm.zip"
    info.value.save_as(saved)
    # As made for the reporter (runner._viewer_of: their agency's view of client-row values).
    expected = tables.build("spm", coc_projects(demo), START, END, viewer=runner._viewer_of(report))
    with zipfile.ZipFile(saved) as archive:
        assert sorted(archive.namelist()) == sorted(f"{t.code}.csv" for t in expected)
        assert {"1a.csv", "1b.csv", "2.csv", "3.2.csv"} <= set(archive.namelist())
        for table in expected:
            rows = list(csv.reader(io.StringIO(archive.read(f"{table.code}.csv").decode("utf-8"))))
            made = list(csv.reader(io.StringIO(runner.table_csv(runner.serialize(table)))))
            assert rows == made, table.code
            assert rows[0] == table.columns
