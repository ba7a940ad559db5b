from celery import shared_task

from . import services


@shared_task
def daily_roi_jobs():
    """C6 expiry and expiry warnings. Safe to run twice on the same day."""
    return services.run_daily_roi_jobs()
