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
    failed with the reason, so the person sees it and can run them again. Safe twice."""
    from .hud.runner import fail_stalled_runs

    return fail_stalled_runs()
