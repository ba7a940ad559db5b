from celery import shared_task


@shared_task
def run_hud_report(report_id: int):
    """Compute one HUD report (ids in, the service does the work)."""
    from .hud.runner import run
    from .models import ReportRun

    report = ReportRun.objects.get(pk=report_id)
    return run(report).status
