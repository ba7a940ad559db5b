"""Periodic housekeeping of the core app. Thin: a call into Django, safe to repeat."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")
