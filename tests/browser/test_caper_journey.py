"""Journey of issue 18 (H4): the HMIS Lead runs a CAPER for a night-by-night emergency
shelter from the HUD reports page, watches the job finish and downloads the CSV zip, which
holds HUD's file names (the CAPER's Q22a2, not the APR's Q22a1) and the right numbers.
axe checks every page visited, at desktop width and at 375 px (a phone).

The shelter is hand-built on top of the demo data with the model-level helpers of
tests/reports/test_hud_rules.py; the reporting period is 01/01/2026 to 06/30/2026:
- Ola, a stayer since 12/01/2025, bed nights 02/01, 02/02 (recorded twice), 05/01 and one
  after the report end (07/02): 3 distinct nights in the period -> Q22a2 "0 to 7 days";
- Ben, 01/10 to 02/01/2026 (a leaver), a bed night on each of 01/10 to 01/19: 10 nights
  (night-by-night stays count bed nights, not exit - entry = 22 days) -> "8 to 14 days";
- Nia, a stayer since 12/01/2025 whose only bed night is 12/15/2025: not active in the
  period, so not in the report's universe at all (HUD's ES-NbN universe rule).
So Q5a counts 2 persons served, 1 leaver, 1 stayer."""

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from agencies.models import Agency, Coc, Project
from hmis.celery import app
from reports.models import ReportRun
from tests.factories import ProjectFactory
from tests.reports.test_hud_rules import bed_nights, person, stay

from .conftest import sign_in_as, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
SHELTER = "Journey Night-by-Night Shelter"
START, END = date(2026, 1, 1), date(2026, 6, 30)


@pytest.fixture
def eager_celery():
    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = was_eager


@pytest.fixture
def night_shelter(db):
    call_command("seed_demo", verbosity=0)
    agency = Agency.objects.get(name__startswith="Agency A")
    t = SimpleNamespace(worker_a=get_user_model().objects.get(username="worker_a"),
                        shelter_a=Project.objects.get(name="Riverbend Emergency Shelter"),
                        coc1=Coc.objects.get(code="MO-500"))
    nbn = ProjectFactory(agency=agency, coc=t.coc1, name=SHELTER, project_type=1)
    ola = stay(t, person(t, "Ola"), nbn, "J1", date(2025, 12, 1))
    bed_nights(t, ola, date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 2), date(2026, 5, 1), date(2026, 7, 2))
    ben = stay(t, person(t, "Ben"), nbn, "J2", date(2026, 1, 10), date(2026, 2, 1), destination=410)
    bed_nights(t, ben, *(date(2026, 1, 10) + timedelta(days=n) for n in range(10)))
    bed_nights(t, stay(t, person(t, "Nia"), nbn, "J3", date(2025, 12, 1)), date(2025, 12, 15))
    return nbn


def _rows(archive, name):
    rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))
    return rows[0], {row[0]: row[1:] for row in rows[1:]}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_h4_lead_runs_a_caper_for_a_night_shelter_and_downloads_the_zip(page, axe_clean, eager_celery, night_shelter,
                                                                       tmp_path, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    sign_in_as(page, "lead")
    if viewport:  # the phone's menu folds the navigation away: go to the page by its address
        page.goto(reverse("reports:hud_reports"))
    else:
        page.get_by_role("link", name="HUD reports").click()
    axe_clean(page)
    tick(page, "CAPER")
    tick(page, SHELTER)
    page.get_by_label("Report start date").fill(START.isoformat())
    page.get_by_label("Report end date").fill(END.isoformat())
    page.get_by_role("button", name="Run the report").click()
    page.get_by_test_id("Q22a2").wait_for()  # the progress page reloads itself once the job is done
    axe_clean(page)
    report = ReportRun.objects.get()
    assert report.status == "done" and report.kind == "caper"
    assert list(report.projects.all()) == [night_shelter]

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("All tables as CSV")).click()
    assert info.value.suggested_filename.endswith("-csv.zip")
    saved = tmp_path / "caper.zip"
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = set(archive.namelist())
        assert {"Q4a.csv", "Q5a.csv", "Q7a.csv", "Q22a2.csv"} <= names
        assert "Q22a1.csv" not in names  # the APR's table, not the CAPER's
        _, q5a = _rows(archive, "Q5a.csv")
        header, q22 = _rows(archive, "Q22a2.csv")
    assert q5a["Total number of persons served"] == ["2", "2"]  # Ola, Ben; Nia had no bed night in the period
    assert q5a["Number of leavers"] == ["1", "1"]  # Ben
    assert header == ["", "Total", "Leavers", "Stayers"]
    assert q22["0 to 7 days"] == ["1", "0", "1"]  # Ola: 3 distinct bed nights in the period
    assert q22["8 to 14 days"] == ["1", "1", "0"]  # Ben: 10 bed nights, not 22 days between entry and exit
    assert q22["Total"] == ["2", "1", "1"]
