"""Every job finishes or says it failed (issue 15): tasks acknowledged late and handed
back when a worker dies, a re-delivered task is harmless, a run whose worker went
silent is failed by the periodic check with its reason and offered to Run again, a
database connection lost mid-run fails the run, and a submit with the broker down says
so plainly and keeps nothing half-made. The HMIS CSV upload runs as a job too: a
failure mid-load is reported and loads nothing."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from reports import services
from reports.hud import runner
from reports.models import ReportRun
from reports.tasks import fail_stalled_report_runs, run_hud_report

START, END = date(2026, 1, 1), date(2026, 6, 30)


def new_run(t, status=ReportRun.Status.QUEUED, **fields):
    report = ReportRun.objects.create(kind="apr", start=START, end=END, requested_by=t.admin, status=status, **fields)
    report.projects.set([t.shelter_a])
    return report


def dying_at(percent, death):
    """hud.build that reports progress up to `percent` and then meets `death` (what a
    worker killed mid-report or a dropped database connection looks like from inside)."""
    real_build = runner.hud.build

    def build(kind, projects, start, end, progress, viewer=None):
        def report_then_die(done, total):
            progress(done, total)
            if 100 * done / total >= percent:
                raise death

        return real_build(kind, projects, start, end, report_then_die)

    return build


def broker_down(*args, **kwargs):
    raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_tasks_are_acknowledged_late_and_handed_back_when_their_worker_dies():
    from hmis.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert run_hud_report.acks_late and run_hud_report.reject_on_worker_lost
    if settings.REDIS_URL:  # the visibility timeout must outlast the longest report
        assert app.conf.broker_transport_options["visibility_timeout"] == settings.BROKER_VISIBILITY_TIMEOUT >= 2 * 3600
    check = app.conf.beat_schedule["fail-stalled-report-runs"]
    assert check["task"] == fail_stalled_report_runs.name == "reports.tasks.fail_stalled_report_runs"


def test_a_worker_dying_mid_report_leaves_a_run_the_periodic_check_fails_with_its_reason(tenancy, signed_in,
                                                                                         monkeypatch):
    report = new_run(tenancy)
    monkeypatch.setattr(runner.hud, "build", dying_at(30, SystemExit(1)))
    with pytest.raises(SystemExit):  # a dead worker cannot mark its run failed...
        run_hud_report(report.pk)
    report.refresh_from_db()
    assert report.status == "running" and 29 <= report.progress < 40 and report.heartbeat_at is not None
    stopped_at = report.progress

    # ...the heartbeat is fresh, so the check leaves it alone...
    assert runner.fail_stalled_runs() == 0
    # ...until the worker has been silent longer than the setting
    later = report.heartbeat_at + timedelta(minutes=settings.REPORT_STALLED_AFTER_MINUTES + 1)
    assert runner.fail_stalled_runs(now=later) == 1
    assert runner.fail_stalled_runs(now=later) == 0  # run twice: no harm, nothing changes
    report.refresh_from_db()
    assert report.status == "failed" and report.finished_at == later
    assert report.error == (f"The worker stopped reporting progress at {stopped_at}%; "
                            "it may have been restarted.")

    admin = signed_in(tenancy.admin)
    progress = admin.get(reverse("reports:hud_progress", args=[report.pk]))
    assert progress["HX-Refresh"] == "true" and b"hx-trigger" not in progress.content  # polling stops
    page = admin.get(reverse("reports:hud_report", args=[report.pk])).content.decode()
    assert f"The worker stopped reporting progress at {stopped_at}%" in page
    assert reverse("reports:hud_run_again", args=[report.pk]) in page and "Run again" in page


def test_the_periodic_task_fails_silent_running_and_never_started_runs_only(tenancy):
    long_ago = timezone.now() - timedelta(hours=3)
    silent = new_run(tenancy, status=ReportRun.Status.RUNNING, progress=32, heartbeat_at=long_ago)
    lively = new_run(tenancy, status=ReportRun.Status.RUNNING, progress=50, heartbeat_at=timezone.now())
    never_started = new_run(tenancy)
    ReportRun.objects.filter(pk=never_started.pk).update(requested_at=long_ago)
    just_queued = new_run(tenancy)
    done = new_run(tenancy, status=ReportRun.Status.DONE, progress=100)
    ReportRun.objects.filter(pk=done.pk).update(requested_at=long_ago)

    fail_stalled_report_runs.delay()
    fail_stalled_report_runs.delay()
    status = dict(ReportRun.objects.values_list("pk", "status"))
    assert status == {silent.pk: "failed", lively.pk: "running", never_started.pk: "failed", just_queued.pk: "queued",
                      done.pk: "done"}
    assert ReportRun.objects.get(pk=silent.pk).error == (
        "The worker stopped reporting progress at 32%; it may have been restarted.")
    assert "No worker started the report within" in ReportRun.objects.get(pk=never_started.pk).error


def test_heartbeats_are_recorded_with_each_progress_update_even_when_the_percent_stays(tenancy, monkeypatch):
    report = new_run(tenancy)
    beats = []

    def build(kind, projects, start, end, progress, viewer=None):
        for _ in range(3):
            progress(1, 2)  # 49% three times
            beats.append(ReportRun.objects.values_list("progress", "heartbeat_at").get(pk=report.pk))
        return []

    monkeypatch.setattr(runner.hud, "build", build)
    runner.run(report)
    assert [p for p, _ in beats] == [49, 49, 49]
    assert beats[0][1] < beats[1][1] < beats[2][1]


def test_a_redelivered_task_does_nothing_to_a_done_run_and_starts_a_half_done_one_over(tenancy):
    report = new_run(tenancy)
    assert run_hud_report(report.pk) == "done"
    first = ReportRun.objects.get(pk=report.pk)
    assert run_hud_report(report.pk) == "done"  # delivered again: nothing happens
    again = ReportRun.objects.get(pk=report.pk)
    assert (again.attempts, again.finished_at, again.tables) == (1, first.finished_at, first.tables)

    # a worker died at 40% after writing something: the next delivery starts over cleanly
    ReportRun.objects.filter(pk=report.pk).update(status="running", progress=40, attempts=1, error="stale",
                                                  tables=[{"code": "leftover"}], finished_at=None)
    assert run_hud_report(report.pk) == "done"
    again.refresh_from_db()
    assert again.attempts == 2 and again.error == "" and again.tables == first.tables
    assert "leftover" not in [t["code"] for t in again.tables]

    # a failed run stays failed (the person was told; Run again makes a new run)
    ReportRun.objects.filter(pk=report.pk).update(status="failed", error="The worker stopped reporting progress.")
    assert run_hud_report(report.pk) == "failed"
    # a run deleted since it was queued: nothing to do
    assert run_hud_report(987654) is None


def test_a_delivery_taken_over_by_a_later_one_stops_without_writing(tenancy, monkeypatch):
    report = new_run(tenancy)
    real_build = runner.hud.build

    def build(kind, projects, start, end, progress, viewer=None):
        # the job is delivered again while this one still runs (visibility timeout passed)
        ReportRun.objects.filter(pk=report.pk).update(attempts=2, progress=5)
        return real_build(kind, projects, start, end, progress)

    monkeypatch.setattr(runner.hud, "build", build)
    runner.run(report)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress, report.tables) == ("running", 2, 5, [])


def test_a_run_that_kept_killing_its_worker_is_not_started_again(tenancy):
    report = new_run(tenancy, status=ReportRun.Status.RUNNING, attempts=settings.REPORT_MAX_ATTEMPTS, progress=12)
    assert run_hud_report(report.pk) == "failed"
    report.refresh_from_db()
    assert report.error.startswith(f"The report was started {settings.REPORT_MAX_ATTEMPTS} times")


def test_a_database_error_mid_run_fails_the_run_instead_of_leaving_it_running(tenancy, monkeypatch):
    report = new_run(tenancy)
    lost = OperationalError("terminating connection due to administrator command")
    monkeypatch.setattr(runner.hud, "build", dying_at(30, lost))
    with pytest.raises(OperationalError):  # raised again, for the worker log
        runner.run(report)
    report.refresh_from_db()
    assert report.status == "failed" and report.progress < 40
    assert report.error == ("The connection to the database was lost while the report was running "
                            f"(at {report.progress}%). Nothing of it was kept.")
    run_hud_report.delay(report.pk)  # the job delivered again: it stays failed, with its reason
    report.refresh_from_db()
    assert report.status == "failed" and report.error.startswith("The connection to the database was lost")


@pytest.mark.django_db(transaction=True)
def test_the_worker_connection_terminated_on_postgresql_ends_with_the_run_failed(tenancy, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    import psycopg

    report = new_run(tenancy)
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        worker_pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None), params.pop("context", None)

    def terminate_the_worker_connection():
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("select pg_terminate_backend(%s)", [worker_pid])

    real_build = runner.hud.build

    def build(kind, projects, start, end, progress, viewer=None):
        def progress_then_terminate(done, total):
            if 100 * done / total >= 30:
                terminate_the_worker_connection()
            progress(done, total)  # this heartbeat finds its connection gone

        return real_build(kind, projects, start, end, progress_then_terminate)

    monkeypatch.setattr(runner.hud, "build", build)
    with pytest.raises(OperationalError):
        runner.run(report)
    report.refresh_from_db()  # on the new connection the runner opened
    assert report.status == "failed" and report.error.startswith("The connection to the database was lost")


def test_run_again_starts_a_new_run_with_the_same_parameters_and_keeps_the_failed_one(
        tenancy, signed_in, django_capture_on_commit_callbacks):
    failed = new_run(tenancy, status=ReportRun.Status.FAILED, error="The worker stopped reporting progress at 32%.")
    admin = signed_in(tenancy.admin)
    assert admin.get(reverse("reports:hud_run_again", args=[failed.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse("reports:hud_run_again", args=[failed.pk]))
    again = ReportRun.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response.url == reverse("reports:hud_report", args=[again.pk])
    assert again.status == "done" and again.tables  # CELERY_TASK_ALWAYS_EAGER in tests
    assert (again.kind, again.start, again.end, list(again.projects.all())) == ("apr", START, END, [tenancy.shelter_a])
    assert again.requested_by == tenancy.admin
    failed.refresh_from_db()
    assert failed.status == "failed" and failed.error.startswith("The worker stopped")

    # only a failed run; and only as someone who may see it and run reports on its projects
    response = admin.post(reverse("reports:hud_run_again", args=[again.pk]), follow=True)
    assert b"Only a report that failed can be run again." in response.content
    assert ReportRun.objects.count() == 2
    assert signed_in(tenancy.reporter_b).post(reverse("reports:hud_run_again", args=[failed.pk])).status_code == 404
    with pytest.raises(services.PolicyError, match="projects you cannot run reports on"):
        services.run_report_again(actor=tenancy.reporter_b, agency=tenancy.agency_b, report=failed,
                                  allowed_projects=type(tenancy.shelter_a).objects.filter(agency=tenancy.agency_b))


def test_a_job_refused_by_the_broker_after_commit_leaves_no_run_behind(tenancy, django_capture_on_commit_callbacks):
    with mock.patch.object(run_hud_report, "apply_async", broker_down):
        with django_capture_on_commit_callbacks(execute=True):  # inside a caller's transaction
            services.start_hud_report(actor=tenancy.admin, agency=None, kind="apr", projects=[tenancy.shelter_a],
                                      start=START, end=END)
    assert not ReportRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_submitting_a_report_with_the_broker_down_says_so_plainly_and_keeps_nothing(tenancy, signed_in):
    admin = signed_in(tenancy.admin)
    typed = {"kind": "caper", "projects": [tenancy.shelter_a.pk], "start": "2026-01-01", "end": "2026-06-30"}
    with mock.patch.object(run_hud_report, "apply_async", broker_down):
        response = admin.post(reverse("reports:hud_reports"), typed)
    page = response.content.decode()
    assert response.status_code == 200  # the form again, not a 500
    assert ("The report could not be queued: the job service is not reachable. "
            "Nothing was saved; try again in a few minutes.") in page
    assert 'value="2026-06-30"' in page or "06/30/2026" in page  # what was typed is kept
    assert not ReportRun.objects.exists()

    failed = new_run(tenancy, status=ReportRun.Status.FAILED, error="The worker stopped reporting progress at 3%.")
    with mock.patch.object(run_hud_report, "apply_async", broker_down):
        response = admin.post(reverse("reports:hud_run_again", args=[failed.pk]), follow=True)
    assert b"The report could not be queued" in response.content
    assert list(ReportRun.objects.values_list("pk", "status")) == [(failed.pk, "failed")]

    response = admin.post(reverse("reports:hud_reports"), typed)  # the broker is back
    report = ReportRun.objects.exclude(pk=failed.pk).get()
    assert response.url == reverse("reports:hud_report", args=[report.pk]) and report.status == "done"


def test_an_import_that_fails_mid_load_says_so_and_loads_nothing(db, tmp_path, signed_in,
                                                                 django_capture_on_commit_callbacks):
    """The upload's job loads in one transaction: a database connection lost after the
    clients were written rolls them back, and the import's page says so."""
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from clients.models import Client
    from hmis.models import User
    from reports.hmis_csv import importer
    from reports.models import ImportRun

    call_command("seed_demo", verbosity=0)
    export = tmp_path / "export.zip"
    call_command("export_hmis_csv", "--out", str(export), stdout=io.StringIO())
    with zipfile.ZipFile(export) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert b"Rosa" in files["Client.csv"]
    files["Client.csv"] = files["Client.csv"].replace(b"Rosa", b"Rosalind")
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    real_clients = importer.Loader._clients
    half_loaded = []

    def clients_then_connection_lost(self):
        real_clients(self)
        half_loaded.append(Client.objects.filter(search_name="rosalind delgado").exists())
        raise OperationalError("server closed the connection unexpectedly")

    admin = signed_in(User.objects.get(username="lead"))
    with mock.patch.object(importer.Loader, "_clients", clients_then_connection_lost), \
            django_capture_on_commit_callbacks(execute=True):  # the upload's job, run as it is queued
        response = admin.post(reverse("reports:import"), {
            "sharing": "locked", "file": SimpleUploadedFile("export.zip", edited.getvalue())})
    response = admin.get(response["Location"])
    assert half_loaded == [True]  # the clients were written...
    assert response.status_code == 200
    assert b"Nothing was loaded" in response.content
    assert b"The import stopped partway through loading" in response.content
    run = ImportRun.objects.latest("run_at")
    assert run.status == "rejected" and run.counts == {}
    # ...and rolled back with the rest
    assert not Client.objects.filter(search_name="rosalind delgado").exists()
    assert Client.objects.filter(search_name="rosa delgado").exists()
