"""Running a HUD report and writing it out: kept as JSON on the ReportRun, written as
HUD's CSV layout (one file per table, Q5a.csv...), HTML and PDF."""

import csv
import io
import zipfile

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import ReportRun
from . import tables as hud


def serialize(table: hud.Table) -> dict:
    return {"code": table.code, "title": table.title, "columns": table.columns,
            "rows": [[label, [{"v": c.count, "ids": sorted(c.ids)} for c in cells]] for label, cells in table.rows]}


def run(report: ReportRun) -> ReportRun:
    """Compute the tables, saving progress as each one is done. Safe to call again."""
    ReportRun.objects.filter(pk=report.pk).update(status=ReportRun.Status.RUNNING, progress=1)

    def progress(done, total):
        ReportRun.objects.filter(pk=report.pk).update(progress=max(1, int(100 * done / total) - 1))

    try:
        built = hud.build(report.kind, report.projects.all(), report.start, report.end, progress)
    except Exception as failure:  # kept on the run for the person; the worker log has the trace
        ReportRun.objects.filter(pk=report.pk).update(status=ReportRun.Status.FAILED, error=str(failure)[:300])
        raise
    ReportRun.objects.filter(pk=report.pk).update(
        status=ReportRun.Status.DONE, progress=100, tables=[serialize(t) for t in built], finished_at=timezone.now())
    report.refresh_from_db()
    return report


def enqueue(report: ReportRun) -> None:
    from ..tasks import run_hud_report

    transaction.on_commit(lambda: run_hud_report.delay(report.pk))


def table_csv(table: dict) -> str:
    """HUD's layout: the header row of column names, then one row per line of the table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table["columns"])
    for label, cells in table["rows"]:
        writer.writerow([label, *[c["v"] for c in cells]])
    return out.getvalue()


def csv_zip(report: ReportRun) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in report.tables:
            archive.writestr(f"{table['code']}.csv", table_csv(table))
    return buffer.getvalue()


def pdf(report: ReportRun, request=None) -> bytes:
    from hmis.pdf import render_pdf

    return render_pdf("reports/hud_report_pdf.html", {"report": report, "title": hud.REPORTS[report.kind][0]}, request)


def html(report: ReportRun) -> str:
    return render_to_string("reports/hud_report_pdf.html", {"report": report, "title": hud.REPORTS[report.kind][0]})
