"""H3 (issue 17): the HMIS CSV upload runs as a background job. The upload page keeps the zip
under the run's number, queues the job on commit and shows its progress (htmx polling, a
Refresh link without JavaScript); the job checks and loads it and deletes the zip whichever
way it ends; a job whose worker died is failed by the periodic check with a plain reason."""

import io
import json
import os
import stat
import time
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from clients.models import Client
from hmis.models import User
from reports import import_jobs
from reports.hmis_csv import importer
from reports.models import ImportRun
from reports.tasks import fail_stalled_report_runs, run_hmis_csv_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def lead(demo, signed_in):
    return signed_in(User.objects.get(username="lead"))


@pytest.fixture
def export_zip(demo, tmp_path) -> bytes:
    out = tmp_path / "export.zip"
    call_command("export_hmis_csv", "--out", str(out), stdout=io.StringIO())
    return out.read_bytes()


def edited(data: bytes, name: str, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files[name] = change(files[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n, content in files.items():
            archive.writestr(n, content)
    return out.getvalue()


def upload(client, data: bytes, name="export.zip", **fields):
    return client.post(reverse("reports:import"), {"sharing": "locked", "file": SimpleUploadedFile(name, data),
                                                   **fields})


def stored_files() -> list[str]:
    return sorted(p.name for p in import_jobs.folder().iterdir())


def test_h3_an_upload_is_queued_then_runs_showing_its_steps_then_loads_and_its_zip_is_removed(
        lead, export_zip, django_capture_on_commit_callbacks):
    data = edited(export_zip, "Client.csv", lambda text: text.replace(b"Rosa", b"Rosalind"))
    # A file name that carries a person's name: the kept zip is named by the run's number only.
    with django_capture_on_commit_callbacks() as queued_jobs:
        response = upload(lead, data, name="Rosa Delgado.zip")
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:import_run", args=[run.pk])
    assert run.status == "queued" and run.run_by.username == "lead" and run.file_name == "Rosa Delgado.zip"
    assert stored_files() == [f"import-{run.pk}.zip"]
    kept = import_jobs.upload_path(run.pk)
    assert kept.read_bytes() == data and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert len(queued_jobs) == 1  # sent once the run is saved, with the run's id only

    page = lead.get(response["Location"]).content.decode()
    assert "Waiting to start: waiting for a worker, 0%" in page
    assert f'hx-get="{reverse("reports:import_progress", args=[run.pk])}"' in page
    assert f'href="{reverse("reports:import_run", args=[run.pk])}">Refresh</a>' in page  # without JavaScript
    assert "Problems (" not in page

    seen = []  # (status, what the page shows) at each step the worker reports
    real_write = import_jobs.Progress.write

    def write_then_look(progress):
        real_write(progress)
        shown = lead.get(reverse("reports:import_progress", args=[run.pk]))
        assert "HX-Refresh" not in shown
        seen.append((ImportRun.objects.get(pk=run.pk).status, progress.percent,
                     shown.content.decode().split('<label for="import-progress-bar">')[1].split("</label>")[0]))

    with mock.patch.object(import_jobs.Progress, "write", write_then_look):
        queued_jobs[0]()  # the worker: Celery runs eagerly under test

    assert {status for status, _, _ in seen} == {"running"}
    labels = [label for _, _, label in seen]
    assert labels[:3] == ["Running: reading the files, 1%", "Running: checking each file, row and column, 3%",
                          "Running: checking references between the files, 30%"]
    # the record authors first: organizations, projects and descriptor rows keep theirs (H3)
    assert "Running: loading User.csv, Organization.csv, Project.csv, 35%" in labels
    assert any(label.startswith("Running: loading Client.csv, ") for label in labels)
    assert labels[-1] == "Running: recording the result, 99%"
    percents = [percent for _, percent, _ in seen]
    assert percents == sorted(percents) and len(labels) == 10

    run.refresh_from_db()
    assert run.status == "loaded" and run.started_at and run.finished_at >= run.started_at
    assert Client.objects.filter(search_name="rosalind delgado").exists()
    assert stored_files() == []  # the zip and the progress file are gone
    done = lead.get(reverse("reports:import_progress", args=[run.pk]))
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()  # polling stops
    page = lead.get(reverse("reports:import_run", args=[run.pk])).content.decode()
    assert "Imported." in page and "Client.csv:" in page and "Refresh</a>" not in page


def test_h3_a_rejected_upload_lists_each_error_by_file_line_and_column_and_its_zip_is_removed(
        lead, export_zip, django_capture_on_commit_callbacks):
    def bad_entry_date(text):
        lines = text.split(b"\r\n")
        header = lines[0].split(b",")
        cells = lines[1].split(b",")
        cells[header.index(b"EntryDate")] = b"2026-13-45"
        lines[1] = b",".join(cells)
        return b"\r\n".join(lines)

    before = Client.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(lead, edited(export_zip, "Enrollment.csv", bad_entry_date))
    run = ImportRun.objects.get()
    assert run.status == "rejected" and Client.objects.count() == before
    assert [p[:4] for p in run.errors] == [["Enrollment.csv", 2, "EntryDate", "'2026-13-45' is not a date (YYYY-MM-DD)"]]
    assert stored_files() == []
    page = lead.get(response["Location"]).content.decode()
    assert "Nothing was loaded: 1 problem to fix." in page
    assert ("<td>error</td><th scope=\"row\">Enrollment.csv</th><td>2</td><td>EntryDate</td>"
            "<td>&#x27;2026-13-45&#x27; is not a date (YYYY-MM-DD)</td>") in page


def test_h3_only_the_hmis_lead_uploads_and_follows_imports(tenancy, signed_in):
    run = ImportRun.objects.create(file_name="export.zip", run_by=tenancy.admin, status="running",
                                   started_at=timezone.now())
    for person in (tenancy.director_a, tenancy.worker_a, tenancy.reporter_b):
        browser = signed_in(person)
        for url in (reverse("reports:import"), reverse("reports:import_run", args=[run.pk]),
                    reverse("reports:import_progress", args=[run.pk])):
            assert browser.get(url).status_code == 403, (person.username, url)
        assert upload(browser, b"PK").status_code == 403
    assert ImportRun.objects.count() == 1
    assert signed_in(tenancy.admin).get(reverse("reports:import_progress", args=[run.pk])).status_code == 200


def test_h3_a_worker_killed_mid_import_is_failed_by_the_periodic_check_and_its_zip_removed(
        lead, export_zip, django_capture_on_commit_callbacks):
    clients = Client.objects.count()

    def killed(self):  # what a worker killed while loading the clients looks like from inside
        raise SystemExit(1)

    with django_capture_on_commit_callbacks() as queued_jobs:
        upload(lead, edited(export_zip, "Client.csv", lambda text: text.replace(b"Rosa", b"Rosalind")))
    run = ImportRun.objects.get()
    # a killed process runs no clean-up: its files stay until the check removes them
    with mock.patch.object(importer.Loader, "_clients", killed), \
            mock.patch.object(import_jobs, "discard_files"), pytest.raises(SystemExit):
        queued_jobs[0]()
    run.refresh_from_db()
    assert run.status == "running" and Client.objects.count() == clients  # the load died with its transaction
    assert stored_files() == [f"import-{run.pk}.progress.json", f"import-{run.pk}.zip"]
    page = lead.get(reverse("reports:import_run", args=[run.pk])).content.decode()
    assert "Running: loading Client.csv, " in page

    run_hmis_csv_import(run.pk)  # the task handed back to the queue: the run was started, so nothing happens
    assert ImportRun.objects.get(pk=run.pk).status == "running"
    assert fail_stalled_report_runs.delay().get() == 0  # its heartbeat is fresh

    silent = time.time() - (settings.REPORT_STALLED_AFTER_MINUTES + 1) * 60
    for name in stored_files():
        os.utime(import_jobs.folder() / name, (silent, silent))
    fail_stalled_report_runs.delay()
    fail_stalled_report_runs.delay()  # twice: no harm
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at
    message = run.errors[0][3]
    assert message.startswith("The import stopped while loading Client.csv (")
    assert message.endswith("%) and its worker has not reported since; it may have been restarted. "
                            "Nothing was loaded: upload the export again.")
    assert stored_files() == []
    page = lead.get(reverse("reports:import_run", args=[run.pk])).content.decode()
    assert "Failed: the import stopped, nothing was loaded" in page and message in page
    assert lead.get(reverse("reports:import_progress", args=[run.pk]))["HX-Refresh"] == "true"


def test_h3_an_upload_no_worker_started_is_failed_with_its_reason(lead, export_zip, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # queued, never delivered
        upload(lead, export_zip)
    run = ImportRun.objects.get()
    assert import_jobs.fail_stalled_imports() == 0
    later = run.run_at + timedelta(minutes=settings.REPORT_QUEUED_TOO_LONG_MINUTES + 1)
    old = time.time() - (settings.REPORT_QUEUED_TOO_LONG_MINUTES + 1) * 60
    os.utime(import_jobs.upload_path(run.pk), (old, old))
    assert import_jobs.fail_stalled_imports(now=later) == 1
    run.refresh_from_db()
    assert run.status == "failed" and run.errors[0][3].startswith(
        f"No worker started the import within {settings.REPORT_QUEUED_TOO_LONG_MINUTES} minutes")
    assert stored_files() == []
    run_hmis_csv_import(run.pk)  # a late delivery finds it failed: nothing happens
    assert ImportRun.objects.get(pk=run.pk).status == "failed"


def test_h3_an_error_in_the_importer_fails_the_run_plainly_and_removes_the_zip(
        lead, export_zip, django_capture_on_commit_callbacks):
    def broken(files):
        raise KeyError("a bug")

    with mock.patch.object(importer, "parse_files", broken), django_capture_on_commit_callbacks(execute=True):
        response = upload(lead, export_zip)
    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert run.errors[0][3] == ("The import stopped with an error in the importer while checking each file, row "
                                "and column. Nothing was loaded; try again, and if it happens again tell the HMIS "
                                "Lead help desk.")
    assert stored_files() == []
    assert "tell the HMIS Lead help desk" in lead.get(response["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)  # committed as in production: the job is sent as the upload is saved
def test_h3_with_the_job_service_down_the_upload_keeps_nothing_and_says_so(tenancy, signed_in, tmp_path):
    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("Export.csv", "ExportID\r\n")
    with mock.patch.object(run_hmis_csv_import, "delay", broker_down):
        response = upload(signed_in(tenancy.admin), data.getvalue())
    assert response.status_code == 200  # the form again, with the reason
    assert import_jobs.NOT_QUEUED in response.content.decode()
    assert not ImportRun.objects.exists() and stored_files() == []


def test_h3_the_progress_file_is_written_whole_and_read_back_by_the_page(tenancy, signed_in):
    run = ImportRun.objects.create(file_name="export.zip", run_by=tenancy.admin, status="running")
    progress = import_jobs.Progress(run.pk)
    progress("rows", {"Organization.csv": 1, "Project.csv": 1, "Client.csv": 6, "Enrollment.csv": 2})
    progress("loading", ("Organization.csv", "Project.csv"))
    progress("loading", ("User.csv", "Client.csv"))
    assert json.loads(import_jobs.progress_path(run.pk).read_text()) == {"step": "loading User.csv, Client.csv",
                                                                         "percent": 35 + 63 * 2 // 10}
    assert stored_files() == [f"import-{run.pk}.progress.json"]  # no half-written file left beside it
    page = signed_in(tenancy.admin).get(reverse("reports:import_run", args=[run.pk])).content.decode()
    assert '<progress id="import-progress-bar" max="100" value="47">47%</progress>' in page
