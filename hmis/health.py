"""What /healthz reports: the database, the broker and the worker's last heartbeat.

Each check answers ``{"status": "ok"}`` or ``{"status": "failing", "reason": ...}`` with
a short reason that names a component and an error class, never client data or
connection strings.
"""

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

OK = "ok"
FAILING = "failing"


def _failing(reason: str) -> dict:
    return {"status": FAILING, "reason": reason}


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure is "failing", with its class as the reason
        connection.close_if_unusable_or_obsolete()
        return _failing(f"cannot query the database ({type(error).__name__})")
    return {"status": OK}


def check_broker() -> dict:
    """One connection attempt to the Celery broker, with a short timeout and no retries."""
    from hmis.celery import app

    timeout = settings.HEALTH_BROKER_TIMEOUT_SECONDS
    try:
        with app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as error:  # noqa: BLE001
        return _failing(f"cannot connect to the broker ({type(error).__name__})")
    return {"status": OK}


def record_heartbeat(now: datetime | None = None) -> None:
    from hmis.models import SystemState

    SystemState.objects.update_or_create(
        name=SystemState.WORKER_HEARTBEAT, defaults={"value": (now or timezone.now()).isoformat()})


def check_worker(now: datetime | None = None) -> dict:
    """The age of the heartbeat the worker records every minute (a task beat schedules):
    old or missing means the worker, beat, or the broker between them is not working."""
    from hmis.models import SystemState

    now = now or timezone.now()
    try:
        row = SystemState.objects.filter(name=SystemState.WORKER_HEARTBEAT).first()
    except DatabaseError as error:
        connection.close_if_unusable_or_obsolete()
        return _failing(f"cannot read the heartbeat ({type(error).__name__})")
    if row is None:
        return _failing("no heartbeat recorded yet: the worker or beat has not run")
    try:
        beat_at = datetime.fromisoformat(row.value)
    except ValueError:
        return _failing("the recorded heartbeat is unreadable")
    age = max(0, int((now - beat_at).total_seconds()))
    result = {"last_heartbeat_seconds_ago": age}
    if age > settings.HEALTH_WORKER_STALE_SECONDS:
        minutes = age // 60
        return _failing(f"no heartbeat for {minutes} minute{'s' if minutes != 1 else ''}: "
                        "the worker, beat or the broker is down") | result
    return {"status": OK} | result


def report() -> tuple[dict, int]:
    """The health report and its HTTP status.

    503 only when the database fails: without it no page works, and a load balancer
    should stop sending people here. A failing broker or worker makes the report
    "degraded" with 200: pages, search and intake still work (only reports, imports and
    scheduled jobs wait), and taking every web server out of rotation for them would turn
    a partial outage into a full one. Monitoring reads the body, or asks ``?strict=1``,
    which answers 503 when anything fails.
    """
    database = check_database()
    checks = {"database": database, "broker": check_broker(),
              "worker": check_worker() if database["status"] == OK else _failing("database unavailable")}
    failing = [name for name, result in checks.items() if result["status"] != OK]
    status = OK if not failing else FAILING if "database" in failing else "degraded"
    return {"status": status, "checks": checks}, (503 if "database" in failing else 200)
