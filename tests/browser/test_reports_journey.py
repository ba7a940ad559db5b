"""Journey of issue 'HMIS CSV exchange and HUD reports': the HMIS Lead runs an APR,
follows a number to its clients, downloads a table; exports HMIS CSV and re-imports
it. axe checks every page visited."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from hmis import dates
from hmis.celery import app
from reports.models import ImportRun, ReportRun

from .conftest import sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_celery():
    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = was_eager


def test_lead_runs_an_apr_follows_a_number_and_moves_hmis_csv(page, axe_clean, eager_celery, tmp_path):
    call_command("seed_demo", verbosity=0)
    sign_in_as(page, "lead")
    page.get_by_role("link", name="HUD reports").click()
    axe_clean(page)
    tick(page, "Annual Performance Report (APR)")
    tick(page, "Riverbend Emergency Shelter")
    page.get_by_label("Report start date").fill((dates.today() - timedelta(days=365)).isoformat())
    page.get_by_label("Report end date").fill(dates.today().isoformat())
    page.get_by_role("button", name="Run the report").click()
    page.get_by_test_id("Q5a").wait_for()
    axe_clean(page)
    assert ReportRun.objects.get().status == "done"
    page.get_by_test_id("Q5a").get_by_role("row").nth(1).get_by_role("link").first.click()  # "Count of Clients for DQ", then "Count of Clients"
    page.get_by_text(re.compile(r"clients? counted")).wait_for()
    axe_clean(page)
    page.go_back()
    with page.expect_download() as info:
        page.get_by_role("link", name="Q7a.csv").click()
    assert info.value.suggested_filename == "Q7a.csv"

    page.goto("/reports/hmis-csv/export/")
    axe_clean(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the export").click()
    export = tmp_path / "export.zip"
    info.value.save_as(export)
    page.goto("/reports/hmis-csv/import/")
    axe_clean(page)
    page.locator("#id_file").set_input_files(str(export))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_test_id("status").get_by_text("Loaded").wait_for()
    axe_clean(page)
    assert ImportRun.objects.get().status == "loaded"
