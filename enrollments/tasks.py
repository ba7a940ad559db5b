from celery import shared_task

from . import services


@shared_task
def hourly_timeliness_alerts():
    """D1: late entries, and intakes nearing the deadline incomplete. Safe to run twice."""
    return {"late": services.alert_late_entries(), "approaching": services.alert_incomplete_intakes()}
