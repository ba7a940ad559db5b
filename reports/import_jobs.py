"""HMIS CSV upload as a background job (issue 17): the upload page keeps the zip, queues the
job and shows its progress; a Celery worker checks and loads it (reports/hmis_csv/importer.py);
the periodic check of reports/tasks.py fails a job whose worker died. ``manage.py
import_hmis_csv`` stays synchronous and does not come here.

Where things are kept: the zip in MEDIA_ROOT/hmis-csv-imports/, the folder the web and the
worker share (the documents volume of docker-compose.yml), private to the app's user and
named by the run's number only (``import-<pk>.zip``), never by what the person called it. The
load is one transaction, so progress written to the database inside it would not be seen
until it commits (and would hold the run's row locked against the periodic check): the
worker writes its step to a small file beside the zip instead (``import-<pk>.progress.json``),
whose modification time is the job's heartbeat. Both files are deleted when the job ends,
whichever way it ends.
"""

import contextlib
import json
import logging
import os
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hmis.errors import PolicyError

from .models import ImportRun

log = logging.getLogger(__name__)
Status = ImportRun.Status
FOLDER = "hmis-csv-imports"

NOT_QUEUED = ("The import could not be queued: the job service is not reachable. Nothing was saved; "
              "try again in a few minutes.")
# What the person reads on a failed run (plain words; the worker log has the trace).
STALLED = ("The import stopped while {step} ({percent}%) and its worker has not reported since; it may have "
           "been restarted. Nothing was loaded: upload the export again.")
NEVER_STARTED = ("No worker started the import within {minutes} minutes; the job service may be down or busy. "
                 "Nothing was loaded: upload the export again.")
FILE_GONE = "The uploaded file was no longer there when the job started. Nothing was loaded: upload the export again."
IMPORTER_FAILED = ("The import stopped with an error in the importer while {step}. Nothing was loaded; try "
                   "again, and if it happens again tell the HMIS Lead help desk.")

# The page's words for each step (importer.import_hmis_csv's progress), and the percent each starts at.
STEPS = {
    "queued": ("waiting for a worker", 0),
    "reading": ("reading the files", 1),
    "checking": ("checking each file, row and column", 3),
    "references": ("checking references between the files", 30),
    "recording": ("recording the result", 99),
}
LOAD_FROM, LOAD_TO = 35, 98  # loading: file by file, weighed by rows


class JobNotQueued(PolicyError):
    """The broker could not be reached; the run and its upload were not kept."""


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / FOLDER
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def upload_path(pk: int) -> Path:
    return folder() / f"import-{pk}.zip"


def progress_path(pk: int) -> Path:
    return folder() / f"import-{pk}.progress.json"


def discard_files(pk: int) -> None:
    for path in (upload_path(pk), progress_path(pk)):
        path.unlink(missing_ok=True)


# --- Writes -------------------------------------------------------------------------


@transaction.atomic
def start_import(*, actor, upload, sharing: str, create_cocs: bool) -> ImportRun:
    """Keep the uploaded zip, record the run as queued and queue its job once saved. With the
    job service unreachable the run and the zip are deleted again and JobNotQueued says so
    plainly; nothing is left "queued" that no worker will ever start. Who may import is the
    view's rule (hmis/access.py SYSTEM_ADMIN)."""
    run = ImportRun.objects.create(file_name=upload.name[:255], sharing=sharing, create_cocs=create_cocs,
                                   run_by=actor, status=Status.QUEUED)
    path = upload_path(run.pk)
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    transaction.on_commit(partial(_send, run.pk))
    return run


def queued_or_refused(run: ImportRun) -> ImportRun:
    """After start_import returned outside any transaction: the run, or JobNotQueued when the
    job service refused it (the run was deleted)."""
    if not transaction.get_connection().in_atomic_block and not ImportRun.objects.filter(pk=run.pk).exists():
        raise JobNotQueued(NOT_QUEUED)
    return run


def _send(pk: int) -> None:
    from .tasks import run_hmis_csv_import

    try:
        run_hmis_csv_import.delay(pk)
    except Exception:  # kombu's OperationalError when the broker is down; any failure means "not queued"
        log.exception("HMIS CSV import %s could not be queued; deleting it", pk)
        if ImportRun.objects.filter(pk=pk, status=Status.QUEUED).delete()[0]:
            discard_files(pk)


class Progress:
    """The worker's progress, written to the run's progress file: the step, the percent, and by
    its modification time a heartbeat. Given to import_hmis_csv as its ``progress``."""

    def __init__(self, pk: int):
        self.pk, self.rows, self.loaded = pk, {}, 0
        self.step, self.percent = STEPS["queued"]

    def __call__(self, step: str, detail=()) -> None:
        if step == "rows":
            self.rows = dict(detail)
            return
        if step == "loading":
            total = sum(self.rows.values()) or 1
            self.step = "loading " + ", ".join(detail)
            self.percent = LOAD_FROM + (LOAD_TO - LOAD_FROM) * self.loaded // total
            self.loaded += sum(self.rows.get(name, 0) for name in detail)
        else:
            self.step, self.percent = STEPS[step]
        self.write()

    def write(self) -> None:
        path = progress_path(self.pk)
        partial_path = path.with_suffix(".tmp")
        with os.fdopen(os.open(partial_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as target:
            json.dump({"step": self.step, "percent": self.percent}, target)
        os.replace(partial_path, path)  # the page never reads half a file


def progress_of(run: ImportRun) -> dict:
    """{"step", "percent"} of a queued or running run, as its worker last wrote them."""
    if run.status == Status.QUEUED:
        step, percent = STEPS["queued"]
        return {"step": step, "percent": percent}
    try:
        shown = json.loads(progress_path(run.pk).read_text())
        return {"step": str(shown["step"]), "percent": int(shown["percent"])}
    except (OSError, ValueError, KeyError, TypeError):  # not written yet, or gone as the job ended
        step, percent = STEPS["reading"]
        return {"step": step, "percent": percent}


def run_import(pk: int) -> ImportRun | None:
    """The job: check and load one queued run, then delete its upload. A delivery that finds the
    run already started (a task handed back after its worker died: the load was rolled back
    with it) or ended does nothing; the periodic check fails a run whose worker died."""
    from .hmis_csv.importer import import_hmis_csv

    if not ImportRun.objects.filter(pk=pk, status=Status.QUEUED).update(status=Status.RUNNING,
                                                                        started_at=timezone.now()):
        return None
    run = ImportRun.objects.select_related("run_by").get(pk=pk)
    progress = Progress(pk)
    try:
        path = upload_path(pk)
        if not path.is_file():
            return _fail(pk, FILE_GONE)
        return import_hmis_csv(path, actor=run.run_by, sharing=run.sharing, file_name=run.file_name,
                               create_cocs=run.create_cocs, run=run, progress=progress)
    except Exception as failure:  # kept on the run for the person; the worker log has the trace
        log.exception("HMIS CSV import %s stopped", pk)
        if isinstance(failure, DatabaseError) and not connection.in_atomic_block:
            connection.close()  # maybe a dead connection: the update below opens a new one
        return _fail(pk, IMPORTER_FAILED.format(step=progress.step))
    finally:
        discard_files(pk)


def _fail(pk: int, reason: str) -> ImportRun | None:
    """The reason is listed as the run's one problem, as the page lists a rejected run's."""
    try:
        ImportRun.objects.filter(pk=pk, status__in=(Status.QUEUED, Status.RUNNING)).update(
            status=Status.FAILED, problems=[["", 0, "", reason, "error"]], finished_at=timezone.now())
    except DatabaseError:
        log.exception("HMIS CSV import %s: could not record its failure; the periodic check will", pk)
        return None
    return ImportRun.objects.filter(pk=pk).first()


def fail_stalled_imports(now=None) -> int:
    """Periodic: mark failed, with the reason, the running imports whose worker stopped writing
    progress and the queued ones no worker started, and delete their uploads (and any upload
    left behind by a job that ended). Same settings as the HUD report jobs. Safe to run twice,
    and alongside a live worker: each update checks the status it was chosen by."""
    now = now or timezone.now()
    silent_since = now - timedelta(minutes=settings.REPORT_STALLED_AFTER_MINUTES)
    failed = 0
    for pk, started_at in ImportRun.objects.filter(status=Status.RUNNING).values_list("pk", "started_at"):
        try:
            beat = datetime.fromtimestamp(progress_path(pk).stat().st_mtime, tz=UTC)
        except OSError:
            beat = started_at
        if beat is not None and beat >= silent_since:
            continue
        shown = progress_of(ImportRun(pk=pk, status=Status.RUNNING))
        failed += ImportRun.objects.filter(pk=pk, status=Status.RUNNING).update(
            status=Status.FAILED, finished_at=now, problems=[["", 0, "", STALLED.format(**shown), "error"]])
    minutes = settings.REPORT_QUEUED_TOO_LONG_MINUTES
    failed += ImportRun.objects.filter(status=Status.QUEUED, run_at__lt=now - timedelta(minutes=minutes)).update(
        status=Status.FAILED, finished_at=now, problems=[["", 0, "", NEVER_STARTED.format(minutes=minutes), "error"]])
    # Files a job left behind (its worker died after recording the result). Only old ones: an
    # upload is written before its run's transaction commits, and the check must not see it as left.
    in_progress = set(ImportRun.objects.filter(status__in=(Status.QUEUED, Status.RUNNING)).values_list("pk", flat=True))
    for path in folder().glob("import-*"):
        number = path.name.removeprefix("import-").split(".", 1)[0]
        with contextlib.suppress(OSError):
            if (number.isdigit() and int(number) not in in_progress
                    and datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < silent_since):
                path.unlink()
    if failed:
        log.warning("Marked %s HMIS CSV imports failed: their worker stopped or never started", failed)
    return failed
