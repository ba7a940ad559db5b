from celery import shared_task

from . import services


@shared_task
def daily_recertification():
    """U4: warnings, suspensions and restorations. Safe to run twice."""
    return services.run_recertification()
