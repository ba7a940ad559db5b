from celery import shared_task

from . import services


@shared_task
def daily_roi_jobs():
    """C6 expiry and expiry warnings. Safe to run twice on the same day."""
    return services.run_daily_roi_jobs()


@shared_task
def scan_quarantined_documents():
    """E5: scan the uploads held in quarantine once a scanner is configured. Re-runnable."""
    from .documents import scan_quarantined

    return scan_quarantined()
