"""/healthz: the database, the broker and the worker's heartbeat, each ok or failing with a
short reason; 503 when the database fails; never client data."""

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client as HttpClient
from django.utils import timezone
from kombu import Connection

from hmis import health
from hmis.models import SystemState
from hmis.tasks import worker_heartbeat
from tests.clients.states import make_client

pytestmark = pytest.mark.django_db


def healthz(query=""):
    response = HttpClient().get(f"/healthz{query}")
    return response, json.loads(response.content)


def test_healthz_ok_when_database_broker_and_worker_heartbeat_are_fine():
    worker_heartbeat()  # what beat schedules every minute
    response, body = healthz()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "broker": "ok", "worker": "ok"}
    assert body["checks"]["worker"]["last_heartbeat_seconds_ago"] < 60
    assert "no-store" in response["Cache-Control"]


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")

    def close_if_unusable_or_obsolete(self):
        pass


def test_failing_database_answers_503_with_the_failing_check(monkeypatch):
    worker_heartbeat()
    monkeypatch.setattr(health, "connection", _BrokenConnection())
    response, body = healthz()
    assert response.status_code == 503
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"status": "failing", "reason": "cannot query the database (OperationalError)"}
    assert body["checks"]["worker"]["status"] == "failing"  # its heartbeat lives in the database


def test_stale_worker_heartbeat_is_reported_and_the_web_stays_in_rotation():
    health.record_heartbeat(timezone.now() - timedelta(minutes=12))
    response, body = healthz()
    assert response.status_code == 200  # pages still work: degraded, not down
    assert body["status"] == "degraded"
    worker = body["checks"]["worker"]
    assert worker["status"] == "failing"
    assert worker["reason"].startswith("no heartbeat for 12 minutes")
    assert worker["last_heartbeat_seconds_ago"] >= 12 * 60
    strict, _ = healthz("?strict=1")
    assert strict.status_code == 503


def test_missing_heartbeat_says_the_worker_never_reported():
    SystemState.objects.filter(name=SystemState.WORKER_HEARTBEAT).delete()
    _, body = healthz()
    assert body["checks"]["worker"]["reason"] == "no heartbeat recorded yet: the worker or beat has not run"


def test_unreachable_broker_is_failing_within_the_timeout(monkeypatch, settings):
    from hmis.celery import app

    settings.HEALTH_BROKER_TIMEOUT_SECONDS = 0.5
    worker_heartbeat()
    # Nothing listens on port 1.
    monkeypatch.setattr(app, "connection_for_write", lambda **kw: Connection("redis://127.0.0.1:1/6", **kw))
    response, body = healthz()
    assert response.status_code == 200
    assert body["checks"]["broker"]["status"] == "failing"
    assert body["checks"]["broker"]["reason"].startswith("cannot connect to the broker")


def test_healthz_shows_no_client_data(tenancy):
    client = make_client(tenancy.worker_a, project=tenancy.shelter_a, first="Zebediah", last="Quillfeather",
                         ssn="271828182")
    worker_heartbeat()
    response, body = healthz()
    text = response.content.decode()
    for secret in ("Zebediah", "Quillfeather", "271828182", "8182", client.client_id, str(client.dob)):
        assert secret not in text
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "broker", "worker"}
