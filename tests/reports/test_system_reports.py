"""H4, T3: the CoC's system reports (SPM, HIC, PIT) from `manage.py hud_report` and from the
report page, on the data set of test_hic_pit (CoC TS-500, the night of 06/30/2026; every
figure checked here is explained there)."""

import csv
import importlib.util
import io
import zipfile
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.hud import hic_pit
from reports.models import ReportRun
from tests.reports.test_hic_pit import night  # noqa: F401 (the fixture)
from tests.reports.test_hud_rules import by_label

pytestmark = pytest.mark.django_db
NIGHT = "2026-06-30"


def command(tmp_path, *args):
    """`manage.py hud_report ...` into tmp_path: {table code: [CSV rows]}."""
    call_command("hud_report", *args, "--out", str(tmp_path), stdout=io.StringIO())
    return {path.stem: list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            for path in tmp_path.glob("*.csv")}


def test_h4_hic_command_writes_every_table(night, tmp_path):  # noqa: F811
    files = command(tmp_path, "hic", "--coc", "TS-500", "--date", NIGHT)
    assert sorted(files) == ["HIC", "HIC-Summary"]
    hic = by_label(files["HIC"])
    assert files["HIC"][0] == hic_pit.HIC_COLUMNS
    # A Shelter: 16 beds, 6 people in them that night, 37.50%.
    assert hic["A Shelter"][-3:] == ["16", "6", "0.3750"]  # 37.50%: HUD's CSV writes the fraction
    assert by_label(files["HIC-Summary"])["Total"][-2:] == ["16", "0.2759"]  # 27.59%
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "Housing Inventory Count" in (tmp_path / "report.html").read_text(encoding="utf-8")
    run = ReportRun.objects.get()
    # The run covers the CoC's projects, its night as start and end.
    assert (run.kind, run.start, run.end) == ("hic", date(2026, 6, 30), date(2026, 6, 30))
    assert set(run.projects.all()) == set(hic_pit.coc_projects(night.coc1))


def test_h4_pit_command_writes_every_table(night, tmp_path):  # noqa: F811
    files = command(tmp_path, "pit", "--coc", "ts-500", "--date", NIGHT)  # the code in any case
    assert sorted(files) == hic_pit.PIT_CODES
    assert files["PIT-1"][0] == ["", "Emergency Shelter", "Transitional Housing", "Safe Haven", "Total"]
    # Ann, Vic, Yara, Hal and Ezra: five households without children in emergency shelters.
    assert by_label(files["PIT-3"])["Total number of households"] == ["5", "0", "0", "5"]


@pytest.mark.skipif(importlib.util.find_spec("reports.hud.spm") is None, reason="reports/hud/spm.py not written yet")
def test_h4_spm_command_writes_its_tables(night, tmp_path):  # noqa: F811
    files = command(tmp_path, "spm", "--coc", "TS-500", "--start", "2025-10-01", "--end", "2026-09-30")
    assert files and all(rows and rows[0] for rows in files.values())


@pytest.mark.parametrize("args, message", [
    (["hic", "--coc", "TS-500"], "hic needs --date"),
    (["pit", "--coc", "TS-500", "--start", "2026-01-01", "--end", "2026-01-31"], "pit counts one night"),
    (["hic", "--projects", "1", "--date", NIGHT], "give --coc CODE, not --projects"),
    (["hic", "--date", NIGHT], "hic needs --coc CODE"),
    (["pit", "--coc", "XX-999", "--date", NIGHT], "No CoC with code XX-999"),
    (["spm", "--coc", "TS-500", "--date", NIGHT], "spm covers a period"),
    (["spm", "--coc", "TS-500", "--start", "2026-01-01"], "spm needs --start and --end"),
    (["spm", "--coc", "TS-500", "--start", "2026-09-30", "--end", "2025-10-01"], "--start is after --end"),
    (["apr", "--coc", "TS-500", "--start", "2026-01-01", "--end", "2026-06-30"], "give --projects"),
    (["dq", "--start", "2026-01-01", "--end", "2026-06-30"], "dq needs --projects"),
    (["hic", "--coc", "TS-500", "--date", "2026-13-01"], "not a date"),
])
def test_h4_command_refuses_a_wrong_combination_plainly(tenancy, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        command(tmp_path, *args)
    assert not ReportRun.objects.exists()


# --- The report page, for a reporting-only user (T3) --------------------------------------------------


def start(client, django_capture_on_commit_callbacks, data):
    from hmis.celery import app

    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("reports:hud_reports"), data)
    finally:
        app.conf.task_always_eager = was_eager


def test_t3_reporting_only_user_runs_the_hic_and_pit_for_their_coc(night, signed_in,  # noqa: F811
                                                                    django_capture_on_commit_callbacks):
    t = night
    reporter = signed_in(t.reporter_b)
    form = reporter.get(reverse("reports:hud_reports")).content.decode()
    # Agency B takes part in TS-500 only: TS-501 is not offered.
    assert "Continuum of Care" in form and "TS-500" in form and "TS-501" not in form
    assert "Housing Inventory Count (HIC)" in form and "Night of the count" in form
    response = start(reporter, django_capture_on_commit_callbacks,
                     {"kind": "hic", "coc": t.coc1.pk, "night": NIGHT})
    report = ReportRun.objects.get()
    assert response.url == reverse("reports:hud_report", args=[report.pk]) and report.status == "done"
    assert report.agency == t.agency_b and report.start == report.end == date(2026, 6, 30)
    page = reporter.get(reverse("reports:hud_report", args=[report.pk])).content.decode()
    assert "HIC: Housing Inventory Count" in page and "HIC-Summary" in page
    # The HIC's PIT count of A Shelter (row 2) lists its six Client IDs, no client links.
    pit = hic_pit.HIC_COLUMNS.index("PIT Count") - 1  # the first column is the row label
    cell = reporter.get(reverse("reports:hud_cell", args=[report.pk, "HIC", 2, pit])).content.decode()
    assert t.ann.display_id in cell and reverse("clients:detail", args=[t.ann.client_id]) not in cell
    archive = zipfile.ZipFile(io.BytesIO(reporter.get(reverse("reports:hud_csv_zip", args=[report.pk])).content))
    assert sorted(archive.namelist()) == ["HIC-Summary.csv", "HIC.csv"]
    hic = by_label(list(csv.reader(io.StringIO(archive.read("HIC.csv").decode()))))
    assert hic["B Housing"][-3:] == ["5", "2", "0.4000"]
    assert reporter.get(reverse("reports:hud_pdf", args=[report.pk])).content.startswith(b"%PDF")
    # The PIT, the same way.
    start(reporter, django_capture_on_commit_callbacks, {"kind": "pit", "coc": t.coc1.pk, "night": NIGHT})
    pit = ReportRun.objects.get(kind="pit")
    assert pit.status == "done" and [table["code"] for table in pit.tables] == hic_pit.PIT_CODES


def test_t3_the_page_refuses_bad_input_without_a_traceback(night, signed_in):  # noqa: F811
    t = night
    reporter = signed_in(t.reporter_b)
    url = reverse("reports:hud_reports")
    cases = [
        ({"kind": "hic", "coc": t.coc1.pk}, "Enter the night of the count."),
        ({"kind": "pit", "night": NIGHT}, "Choose the Continuum of Care to report on."),
        ({"kind": "hic", "coc": t.coc2.pk, "night": NIGHT}, "Select a valid choice"),  # not agency B's CoC
        ({"kind": "spm", "coc": t.coc1.pk, "start": "2026-09-30", "end": "2025-10-01"},
         "The end date is before the start date."),
        ({"kind": "spm", "coc": t.coc1.pk}, "Enter the report start date."),
        ({"kind": "apr", "start": "2026-01-01", "end": "2026-06-30"}, "Choose at least one project."),
        ({"kind": "hic", "coc": t.coc1.pk, "night": "not a date"}, "Enter a valid date."),
        ({"kind": "nope"}, "Select a valid choice"),
    ]
    for data, message in cases:
        response = reporter.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not ReportRun.objects.exists()


def test_t3_the_lead_is_offered_every_coc(night, signed_in):  # noqa: F811
    form = signed_in(night.admin).get(reverse("reports:hud_reports")).content.decode()
    assert "TS-500" in form and "TS-501" in form


def test_t3_a_failed_system_report_runs_again_for_the_reporter(night, signed_in,  # noqa: F811
                                                               django_capture_on_commit_callbacks):
    t = night
    failed = ReportRun.objects.create(kind="hic", start=date(2026, 6, 30), end=date(2026, 6, 30),
                                      requested_by=t.reporter_b, agency=t.agency_b, status=ReportRun.Status.FAILED)
    # Its projects are the CoC's, most of them agency A's: still the reporter's to run again.
    failed.projects.set(hic_pit.coc_projects(t.coc1))
    reporter = signed_in(t.reporter_b)
    from hmis.celery import app

    was_eager, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = reporter.post(reverse("reports:hud_run_again", args=[failed.pk]))
    finally:
        app.conf.task_always_eager = was_eager
    again = ReportRun.objects.exclude(pk=failed.pk).get()
    assert response.url == reverse("reports:hud_report", args=[again.pk]) and again.status == "done"
