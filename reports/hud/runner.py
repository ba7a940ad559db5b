"""Running a HUD report and writing it out: kept as JSON on the ReportRun, written as
HUD's CSV layout (one file per table, Q5a.csv...), HTML and PDF."""

import csv
import io
import logging
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from hmis import csvsafe

from ..models import ReportRun
from . import tables as hud


def serialize(table: hud.Table) -> dict:
    return {"code": table.code, "title": table.title, "columns": table.columns,
            "rows": [[label, [{"v": c.count, "ids": sorted(c.ids)} for c in cells]] for label, cells in table.rows]}


log = logging.getLogger(__name__)
Status = ReportRun.Status

# What the person reads on a failed run (plain words; the worker log has the trace).
STALLED = "The worker stopped reporting progress at {progress}%; it may have been restarted."
NEVER_STARTED = ("No worker started the report within {minutes} minutes; the job service may be down or busy.")
DATABASE_LOST = ("The connection to the database was lost while the report was running (at {progress}%). "
                 "Nothing of it was kept.")
DATABASE_REFUSED = "The database refused a query of the report (at {progress}%). Nothing of it was kept."
GAVE_UP = ("The report was started {attempts} times and each time its worker stopped before it finished; "
           "it may be too large for the worker. Ask the HMIS Lead.")


class Superseded(Exception):
    """This delivery no longer owns the run: a later delivery of the same job started it
    over, or the periodic check gave it up. The delivery stops and writes nothing."""


def _viewer_of(report: ReportRun):
    """Whom the report is made for: the person in the agency context they ran it in (the
    HMIS Lead when no agency). Their view of client-row values is the report's (C12)."""
    from agencies.models import License
    from consent.visibility import Viewer

    license = None
    if report.agency_id:
        license = License.objects.filter(user_id=report.requested_by_id, agency_id=report.agency_id).select_related(
            "agency").first()
    return Viewer(report.requested_by, license, for_reports=True)


def run(report: ReportRun) -> ReportRun:
    """Compute the tables, saving progress as each one is done. Idempotent, so a task
    delivered twice (acks_late re-delivers a dead worker's job) is safe: a run already
    done or failed is left as it is; a queued or half-done one is started over from
    nothing (status running, its tables replaced when it finishes, never appended).
    A failure inside the run marks it failed with a plain reason and is raised again
    for the worker log; a worker that dies cannot say so, which is what the heartbeat
    and fail_stalled_runs are for."""
    attempt = _claim(report.pk)
    if attempt is None:
        report.refresh_from_db()
        return report
    reached = {"progress": 1}

    def progress(done, total):
        reached["progress"] = max(1, int(100 * done / total) - 1)
        _beat(report.pk, attempt, reached["progress"])

    try:
        checks = []
        if report.kind == ReportRun.Kind.LSA:
            built, checks = _lsa(report, progress)
        else:
            built = hud.build(report.kind, report.projects.all(), report.start, report.end, progress,
                              viewer=_viewer_of(report))
        now = timezone.now()
        if not _owned(report.pk, attempt).update(status=Status.DONE, progress=100, tables=[serialize(t) for t in built],
                                                  checks=checks, finished_at=now, heartbeat_at=now):
            raise Superseded
    except Superseded:
        log.info("HUD report %s: delivery %s stopped, the run was started over or given up", report.pk, attempt)
    except (OperationalError, InterfaceError):  # connection terminated, server restarted or gone
        _fail(report.pk, attempt, DATABASE_LOST.format(progress=reached["progress"]), fresh_connection=True)
        raise
    except DatabaseError:  # its message may quote values: the person gets a plain one
        _fail(report.pk, attempt, DATABASE_REFUSED.format(progress=reached["progress"]), fresh_connection=True)
        raise
    except Exception as failure:  # kept on the run for the person; the worker log has the trace
        _fail(report.pk, attempt, str(failure) or type(failure).__name__)
        raise
    report.refresh_from_db()
    return report


def _lsa(report: ReportRun, progress):
    """The LSA's files as tables, and HUD's upload checks that failed (reports/hud/lsa/report.py).
    Its ReportID is the run's number, so every file of one upload carries the same one."""
    from ..hmis_csv.source_ids import export_id
    from .lsa import pipeline
    from .lsa import report as lsa_report

    selected = ()
    if report.lsa_scope == ReportRun.LsaScope.PROJECT_FOCUSED:
        selected = tuple(export_id(p) for p in report.projects.all())
    params = pipeline.Parameters(coc=report.coc.code, start=report.start, end=report.end,
                                 scope=report.lsa_scope or ReportRun.LsaScope.SYSTEMWIDE, projects=selected,
                                 report_id=report.pk)
    built = lsa_report.build(params, progress)
    return built.tables(), lsa_report.problems_json(built.problems)


def _owned(pk, attempt):
    return ReportRun.objects.filter(pk=pk, status=Status.RUNNING, attempts=attempt)


def _claim(pk) -> int | None:
    """Start (or start over) a queued or half-done run and return this delivery's
    attempt number; None when there is nothing to do."""
    with transaction.atomic():
        row = ReportRun.objects.select_for_update().filter(pk=pk).values("status", "attempts").first()
        if row is None or row["status"] not in (Status.QUEUED, Status.RUNNING):
            return None
        now = timezone.now()
        if row["attempts"] >= settings.REPORT_MAX_ATTEMPTS:  # its job keeps killing the worker: stop the loop
            ReportRun.objects.filter(pk=pk).update(status=Status.FAILED, finished_at=now,
                                                   error=GAVE_UP.format(attempts=row["attempts"]))
            return None
        attempt = row["attempts"] + 1
        ReportRun.objects.filter(pk=pk).update(status=Status.RUNNING, attempts=attempt, progress=1, heartbeat_at=now,
                                               tables=[], error="", finished_at=None)
    return attempt


def _beat(pk, attempt, percent) -> None:
    """Progress and a heartbeat, even when the percent is unchanged. The worker runs
    the report in autocommit mode, so this one UPDATE is its own short transaction and
    the page and the periodic check see it at once."""
    if not _owned(pk, attempt).update(progress=percent, heartbeat_at=timezone.now()):
        raise Superseded


def _fail(pk, attempt, reason: str, fresh_connection=False) -> None:
    """Mark this delivery's run failed. After a database error the connection the run
    used may be dead (terminated, server restarted): drop it, and the update opens a
    new one. If even that fails, the periodic check fails the run later."""
    if fresh_connection and not connection.in_atomic_block:
        connection.close()
    try:
        _owned(pk, attempt).update(status=Status.FAILED, error=reason[:300], finished_at=timezone.now())
    except DatabaseError:
        log.exception("HUD report %s: could not record its failure; the periodic check will", pk)


def fail_stalled_runs(now=None) -> int:
    """Mark failed, with the reason, the runs whose worker stopped reporting progress and
    the queued runs no worker started. Safe to run twice, and alongside a live worker:
    each update checks again the condition it was chosen by, so a heartbeat that lands
    in between keeps the run going."""
    now = now or timezone.now()
    silent_since = now - timedelta(minutes=settings.REPORT_STALLED_AFTER_MINUTES)
    silent = Q(status=Status.RUNNING) & (Q(heartbeat_at__lt=silent_since)
                                         | Q(heartbeat_at__isnull=True, requested_at__lt=silent_since))
    failed = 0
    for pk, percent in ReportRun.objects.filter(silent).values_list("pk", "progress"):
        failed += ReportRun.objects.filter(silent, pk=pk, progress=percent).update(
            status=Status.FAILED, error=STALLED.format(progress=percent), finished_at=now)
    minutes = settings.REPORT_QUEUED_TOO_LONG_MINUTES
    failed += ReportRun.objects.filter(status=Status.QUEUED, requested_at__lt=now - timedelta(minutes=minutes)).update(
        status=Status.FAILED, error=NEVER_STARTED.format(minutes=minutes), finished_at=now)
    if failed:
        log.warning("Marked %s HUD report runs failed: their worker stopped or never started", failed)
    return failed


def enqueue(report: ReportRun) -> None:
    """Queue the run once the transaction that made it commits. Should the job service
    be unreachable then, the run is deleted (nothing half-made stays "queued"); the
    caller sees that the run is gone (reports/services.py)."""
    transaction.on_commit(partial(_send, report.pk))


def _send(pk) -> None:
    from ..tasks import run_hud_report

    try:
        run_hud_report.delay(pk)
    except Exception:  # kombu's OperationalError when the broker is down; any failure means "not queued"
        log.exception("HUD report %s could not be queued; deleting it", pk)
        ReportRun.objects.filter(pk=pk, status=Status.QUEUED).delete()


PERCENT = re.compile(r"^(-?)(\d+)\.(\d\d)%$")


def sage_value(value):
    """A cell as HUD's CSV layout writes it: a percentage ("12.34%" on the page) as a decimal
    fraction with four places ("0.1234"), as HUD's Data Lab writer and Sage read it (notes 6.5);
    everything else as it is."""
    if isinstance(value, str) and (match := PERCENT.match(value)):
        sign, whole, cents = match.groups()
        # a Decimal, not text: csvsafe leaves numbers as they are ("-0.0550" stays a number)
        return (Decimal(f"{sign}{whole}{cents}") / 10000).quantize(Decimal("0.0001"))
    return value


def table_csv(table: dict, exact: bool = False) -> str:
    """HUD's layout: the header row of column names, then one row per line of the table.
    ``exact`` for the LSA's files, machine interchange uploaded to HDX 2.0 as they are (like
    HMIS CSV): text is never prefixed to defuse spreadsheet formulas (hmis/csvsafe.py)."""
    out = io.StringIO()
    writer = (csv.writer if exact else csvsafe.writer)(out, lineterminator="\r\n")
    writer.writerow(table["columns"])
    for label, cells in table["rows"]:
        writer.writerow([label, *[sage_value(c["v"]) for c in cells]])
    return out.getvalue()


def csv_zip(report: ReportRun) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in report.tables:
            archive.writestr(f"{table['code']}.csv", table_csv(table, exact=report.kind == ReportRun.Kind.LSA))
    return buffer.getvalue()


def pdf(report: ReportRun, request=None) -> bytes:
    from hmis.pdf import render_pdf

    return render_pdf("reports/hud_report_pdf.html", {"report": report, "title": hud.REPORTS[report.kind][0]}, request)


def html(report: ReportRun) -> str:
    return render_to_string("reports/hud_report_pdf.html", {"report": report, "title": hud.REPORTS[report.kind][0]})
