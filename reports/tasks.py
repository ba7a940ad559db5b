from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_hud_report(report_id: int):
    """Compute one HUD report (ids in, the service does the work). Acknowledged when it
    ends and handed back to the queue if its worker dies (see hmis/settings.py); the
    runner makes a second delivery harmless."""
    from .hud.runner import run
    from .models import ReportRun

    report = ReportRun.objects.filter(pk=report_id).first()
    if report is None:  # deleted since (e.g. it could not be queued): nothing to do
        return None
    return run(report).status


@shared_task
def fail_stalled_report_runs():
    """Periodic: runs whose worker went silent, or that no worker started, are marked
    failed with the reason, so the person sees it and can run them again; HUD reports and
    HMIS CSV imports alike. Safe twice."""
    from .hud.runner import fail_stalled_runs
    from .import_jobs import fail_stalled_imports

    return fail_stalled_runs() + fail_stalled_imports()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_hmis_csv_import(import_id: int):
    """Check and load one uploaded HMIS CSV export (the run's id in, reports/import_jobs.py
    does the work). A second delivery after a worker died finds the run started and does
    nothing: the load died with its transaction, and the periodic check fails the run."""
    from .import_jobs import run_import

    run = run_import(import_id)
    return run.status if run else None
