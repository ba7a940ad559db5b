"""Periodic housekeeping of the core app. Thin: a call into Django, safe to repeat."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")


@shared_task(ignore_result=True)
def worker_heartbeat():
    """Every minute from beat: records that a worker takes tasks; /healthz reads its age."""
    from hmis.health import record_heartbeat

    record_heartbeat()
