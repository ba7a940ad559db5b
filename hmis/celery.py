"""Celery application and the one place the periodic schedule is kept.

Tasks are thin: ids in, a service call (DESIGN conv. 7). With no REDIS_URL the
broker is kombu's filesystem transport under var/ (see settings).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hmis.settings")

app = Celery("hmis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of the HMIS, in one place. Each is safe to run twice.
app.conf.beat_schedule = {
    "roi-expiry-and-warnings-daily": {
        "task": "consent.tasks.daily_roi_jobs",
        "schedule": crontab(hour=2, minute=0),
    },
    "timeliness-alerts-hourly": {
        "task": "enrollments.tasks.hourly_timeliness_alerts",
        "schedule": crontab(minute=5),
    },
    "agency-terminations-daily": {
        "task": "agencies.tasks.daily_terminations",
        "schedule": crontab(hour=0, minute=30),
    },
    "agreement-reminders-daily": {
        "task": "agencies.tasks.daily_agreement_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "recertification-daily": {
        "task": "compliance.tasks.daily_recertification",
        "schedule": crontab(hour=1, minute=0),
    },
    "sanctions-daily": {
        "task": "compliance.tasks.daily_sanctions",
        "schedule": crontab(hour=1, minute=15),
    },
    "monitoring-and-cleanup-daily": {
        "task": "compliance.tasks.daily_oversight",
        "schedule": crontab(hour=1, minute=30),
    },
    "retention-daily": {
        "task": "compliance.tasks.daily_retention",
        "schedule": crontab(hour=4, minute=0),
    },
    "scan-quarantined-documents": {
        "task": "consent.tasks.scan_quarantined_documents",
        "schedule": crontab(minute="*/15"),
    },
    "clear-expired-sessions-daily": {
        "task": "hmis.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    # /healthz reads the age of this heartbeat (hmis/health.py); expires so a backlog never piles them up.
    "worker-heartbeat-every-minute": {
        "task": "hmis.tasks.worker_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "fail-stalled-report-runs": {
        "task": "reports.tasks.fail_stalled_report_runs",
        "schedule": crontab(minute="*/5"),
    },
}
