from celery import shared_task

from . import services


@shared_task
def hourly_timeliness_alerts():
    """D1: alerts for records entered after the CoC's deadline. Safe to run twice."""
    return services.alert_late_entries()
